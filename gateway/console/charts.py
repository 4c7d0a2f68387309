"""Small server-rendered SVG charts for the console (no script, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 160, 28


def _frame(width: int, height: int, title: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bars(values: Sequence[float], labels: Sequence[str], title: str, fmt: str = "{:g}") -> Markup:
    """A bar chart; each bar has its value as a tooltip, the first and last labels are shown."""
    top = max(values, default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(values), 1)
    base = HEIGHT - PAD
    parts = [f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" class="axis"/>']
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = (HEIGHT - 2 * PAD) * value / top
        x = PAD + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {escape(fmt.format(value))}</title></rect>"
        )
    parts.append(_axis_labels(labels, fmt.format(top)))
    return _frame(WIDTH, HEIGHT, title, "".join(parts))


def line(
    values: Sequence[float | None],
    labels: Sequence[str],
    title: str,
    low: float = -1,
    high: float = 1,
) -> Markup:
    """A line chart on [low, high] with a zero line; None values are gaps."""
    return _frame(
        WIDTH,
        HEIGHT,
        title,
        _line_body(values, labels, WIDTH, HEIGHT, low, high) + _axis_labels(labels, f"{high:g}"),
    )


def sparkline(
    values: Sequence[float | None], title: str, width: int = 220, height: int = 60
) -> Markup:
    """A small line of per-turn sentiment in [-1, 1] (the conversation page)."""
    return _frame(
        width,
        height,
        title,
        _line_body(values, [str(i) for i in range(len(values))], width, height, -1, 1, pad=6),
    )


def _line_body(
    values: Sequence[float | None],
    labels: Sequence[str],
    width: int,
    height: int,
    low: float,
    high: float,
    pad: int = PAD,
) -> str:
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * (v - low) / (high - low)

    parts = [f'<line x1="{pad}" y1="{y(0):.1f}" x2="{width - pad}" y2="{y(0):.1f}" class="axis"/>']
    points = [
        (pad + i * step, y(v), v, label)
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
        if v is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _, _ in points)
        parts.append(f'<polyline points="{path}" class="line"/>')
    for x, yy, v, label in points:
        kind = "neg" if v < -0.2 else "pos" if v > 0.2 else "neu"
        tip = f"<title>{escape(label)}: {v:+.2f}</title>"
        parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3.5" class="{kind}">{tip}</circle>')
    return "".join(parts)


def _axis_labels(labels: Sequence[str], top: str) -> str:
    if not labels:
        return ""
    return (
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="label">{escape(labels[0])}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" class="label end">{escape(labels[-1])}</text>'
        f'<text x="4" y="{PAD - 8}" class="label">{escape(top)}</text>'
    )
