"""The plumbing every ``aisle eval`` command shares: the input error, the CSV/TSV reader and
writer, the Home Depot relevance pairs, and the report writer (a Markdown table and a PNG plot).

Each ``evaluate_*`` reads its input here, scores it (metrics: :mod:`core.metrics`) and hands the
metrics and the series to plot to :func:`write_report`.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Series = tuple[Sequence[float], Sequence[float]]  # (x values, y values)
HOME_DEPOT_COLUMNS = ("id", "product_uid", "product_title", "search_term", "relevance")


class InputError(ValueError):
    """The input file does not have the expected format, columns or values."""


def _open(path: Path, encoding: str) -> io.TextIOWrapper:
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def read_rows(
    path: Path, required_columns: Sequence[str], encoding: str | None = None
) -> list[dict[str, str]]:
    """Rows of a CSV, or a TSV (by extension; quotes are text there), optionally gzipped, with a
    header row. ``encoding`` None: UTF-8, else latin-1 (as the Home Depot file). InputError when
    the file cannot be opened or lacks a column."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    tsv = bool(suffixes) and suffixes[-1] == ".tsv"
    rows: list[dict[str, str]] = []
    columns: Sequence[str] = []
    for candidate in [encoding] if encoding else ["utf-8-sig", "latin-1"]:
        try:
            with _open(path, candidate) as f:
                reader = csv.DictReader(
                    f,
                    delimiter="\t" if tsv else ",",
                    quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL,
                )
                rows = list(reader)
                columns = reader.fieldnames or []
            break
        except UnicodeDecodeError:
            continue
        except OSError as error:
            raise InputError(f"{path}: {error}") from error
    missing = [c for c in required_columns if c not in columns]
    if missing:
        raise InputError(f"{path} lacks column(s) {', '.join(missing)} (has {columns})")
    return rows


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A UTF-8 CSV with a header row (the parent folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


@dataclass(frozen=True)
class RelevancePair:
    """One (search term, product title) pair; relevance is 1 (not) to 3 (highly), None unrated."""

    id: str
    product_uid: str
    product_title: str
    search_term: str
    relevance: float | None = None


def _grade(value: str | None) -> float | None:
    try:
        return float(value) if value and value.strip() else None
    except ValueError:
        return None


def read_pairs(path: Path) -> list[RelevancePair]:
    """The pairs of a Home Depot-format CSV (latin-1 as distributed, optionally gzipped); text
    is stripped, a missing or unreadable relevance is None. InputError when a column is missing."""
    return [
        RelevancePair(
            id=(row["id"] or "").strip(),
            product_uid=(row["product_uid"] or "").strip(),
            product_title=(row["product_title"] or "").strip(),
            search_term=(row["search_term"] or "").strip(),
            relevance=_grade(row.get("relevance")),
        )
        for row in read_rows(path, HOME_DEPOT_COLUMNS, encoding="latin-1")
    ]


@dataclass(frozen=True)
class Plot:
    """What a report's PNG shows: ``bars`` = {group: {system: value}} as grouped bars, or
    ``lines`` = {name: (xs, ys)}, with ``right`` lines on a second y axis and dotted grey
    ``guides`` (a diagonal, a cut-off)."""

    title: str
    bars: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    lines: Mapping[str, Series] = field(default_factory=dict)
    right: Mapping[str, Series] = field(default_factory=dict)
    guides: Sequence[Series] = ()
    xlabel: str = ""
    ylabel: str = ""
    right_label: str = ""
    xscale: str = "linear"
    ylim: tuple[float, float] | None = None
    size: tuple[float, float] = (6, 3.6)


def _draw(plot: Plot, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=plot.size)
    if plot.bars:
        groups = list(plot.bars)
        systems = list(next(iter(plot.bars.values())))
        width = 0.8 / len(systems)
        for s, system in enumerate(systems):
            positions = [g + s * width for g in range(len(groups))]
            ax.bar(positions, [plot.bars[g][system] for g in groups], width, label=system)
        ax.set_xticks([g + width * (len(systems) - 1) / 2 for g in range(len(groups))], groups)
    for name, (xs, ys) in plot.lines.items():
        ax.plot(xs, ys, marker="o" if len(xs) <= 12 else None, label=name)
    for xs, ys in plot.guides:
        ax.plot(xs, ys, color="grey", linestyle=":", linewidth=1)
    ax.set(title=plot.title, xlabel=plot.xlabel, ylabel=plot.ylabel, xscale=plot.xscale)
    if plot.ylim:
        ax.set_ylim(*plot.ylim)
    ax.legend(fontsize="small", loc="lower left" if plot.right else "lower right")
    if plot.right:
        second = ax.twinx()
        for name, (xs, ys) in plot.right.items():
            second.plot(xs, ys, "k--", marker="x", label=name)
        second.set_ylabel(plot.right_label)
        second.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _table(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns = list(rows[0])
    return [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows),
    ]


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Mapping)


def _flat(metrics: Mapping[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    rows = []
    for name, value in metrics.items():
        if isinstance(value, Mapping):
            rows += _flat(value, f"{prefix}{name}.")
        elif not _is_table(value):
            rows.append({"metric": prefix + name, "value": value})
    return rows


def write_report(
    stem: Path, title: str, metrics: Mapping[str, Any], plot: Plot, predictions: Path | None = None
) -> Path:
    """``<stem>.md`` and ``<stem>.png``; returns the Markdown file. The Markdown has the title,
    the predictions file it describes, a table of the metrics (nested names joined by dots) and
    one more table per list of rows among them (e.g. one row per re-ranking depth)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, markdown = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".md")
    _draw(plot, png)
    lines = [f"# {title}", ""]
    if predictions is not None:
        lines += [f"Predictions: `{predictions.name}`", ""]
    lines += [*_table(_flat(metrics)), ""]
    for name, value in metrics.items():
        if _is_table(value):
            lines += [f"## {name}", "", *_table(value), ""]
    lines += [f"![{plot.title}]({png.name})", ""]
    markdown.write_text("\n".join(lines), encoding="utf-8")
    return markdown
