"""Small server-rendered SVG charts for the console (no script, no CDN): each has both axes,
tick labels at the ends of each, an axis title, and says so when there is nothing to draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Box:
    """The chart's size and the plot area inside it (room on the left and below for labels)."""

    width: int = 640
    height: int = 180
    left: int = 44
    right: int = 12
    top: int = 12
    bottom: int = 36

    @property
    def base(self) -> float:
        return self.height - self.bottom

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    def y(self, value: float, low: float, high: float) -> float:
        return self.base - (self.base - self.top) * (value - low) / ((high - low) or 1)


WIDE = Box()
SMALL = Box(width=300, height=120, left=30, bottom=30)


def _frame(box: Box, title: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {box.width} {box.height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def _text(x: float, y: float, text: str, cls: str = "label") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}">{escape(text)}</text>'


def _axes(box: Box, first: str, last: str, x_title: str, ticks: Sequence[tuple[float, str]]) -> str:
    """Both axes, the y ticks ``(y, label)``, the first and last x labels and the x title."""
    x_axis_y = box.base + 0.5
    parts = [
        f'<line x1="{box.left}" y1="{x_axis_y}" x2="{box.width - box.right}" y2="{x_axis_y}" '
        'class="axis"/>',
        f'<line x1="{box.left}" y1="{box.top}" x2="{box.left}" y2="{box.base}" class="axis"/>',
    ]
    for y, label in ticks:
        parts.append(
            f'<line x1="{box.left - 4}" y1="{y:.1f}" x2="{box.width - box.right}" y2="{y:.1f}" '
            'class="grid"/>'
        )
        parts.append(_text(box.left - 6, y + 4, label, "label end"))
    parts.append(_text(box.left, box.base + 14, first))
    parts.append(_text(box.width - box.right, box.base + 14, last, "label end"))
    parts.append(_text(box.left + box.plot_width / 2, box.height - 4, x_title, "label mid"))
    return "".join(parts)


def _empty(box: Box, title: str, message: str) -> Markup:
    return _frame(box, title, _text(box.width / 2, box.height / 2, message, "label mid empty"))


def bars(
    values: Sequence[float],
    labels: Sequence[str],
    title: str,
    fmt: str = "{:g}",
    empty: str = "No conversations in this period yet",
    x_title: str = "day (UTC)",
) -> Markup:
    """A bar chart from 0 to the largest value; each bar has its value as a tooltip; ``empty``
    is said instead when every value is 0."""
    box = WIDE
    if not any(values):
        return _empty(box, title, empty)
    top = max(values)
    step = box.plot_width / len(values)
    parts = [
        _axes(
            box,
            labels[0],
            labels[-1],
            x_title,
            [(box.base, fmt.format(0)), (box.top, fmt.format(top))],
        )
    ]
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        y = box.y(value, 0, top)
        parts.append(
            f'<rect x="{box.left + (i + 0.15) * step:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
            f'height="{box.base - y:.1f}"><title>{escape(label)}: {escape(fmt.format(value))}'
            "</title></rect>"
        )
    return _frame(box, title, "".join(parts))


def line(
    values: Sequence[float | None],
    labels: Sequence[str],
    title: str,
    x_title: str = "day (UTC)",
    box: Box = WIDE,
    empty: str = "No shopper messages in this period yet",
) -> Markup:
    """A line of sentiment in [-1, 1] with a zero line; None values are gaps."""
    if all(v is None for v in values):
        return _empty(box, title, empty)
    step = box.plot_width / max(len(values) - 1, 1)
    ticks = [(box.y(v, -1, 1), f"{v:+g}" if v else "0") for v in (1, 0, -1)]
    parts = [_axes(box, labels[0], labels[-1], x_title, ticks)]
    points = [
        (box.left + i * step, box.y(v, -1, 1), v, label)
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
        if v is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" class="line"/>')
    for x, y, v, label in points:
        kind = "neg" if v < -0.2 else "pos" if v > 0.2 else "neu"
        tip = f"<title>{escape(label)}: {v:+.2f}</title>"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="{kind}">{tip}</circle>')
    return _frame(box, title, "".join(parts))


def sparkline(values: Sequence[float | None], title: str) -> Markup:
    """The sentiment of each shopper turn, −1 … +1 (the conversation page)."""
    labels = [f"turn {i}" for i in range(1, len(values) + 1)] or [""]
    return line(values, labels, title, "shopper turn", SMALL, "No shopper messages yet")
