"""Reading catalogue files row by row: CSV or JSON lines, plain or gzipped, with line-level errors.

Every loader goes through :func:`load_products`, so bad rows are reported the same way everywhere
(file, line, reason) and a file that is not a catalogue at all is refused before anything is stored.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from retrieval.schema import Product

Row = dict[str, Any]
Format = Literal["csv", "jsonl"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # product descriptions can be long


@dataclass(frozen=True)
class RowError:
    """A skipped row: where it is and why (``product_id`` is set when the id was readable)."""

    file: str
    line: int
    reason: str
    product_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class NotACatalogue(ValueError):
    """The file cannot be read as a catalogue at all; nothing from it is stored."""


def detect_format(path: Path) -> Format:
    """``jsonl`` for ``*.jsonl``/``*.ndjson`` (optionally ``.gz``), else ``csv``."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return "jsonl" if suffixes and suffixes[-1] in {".jsonl", ".ndjson"} else "csv"


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")  # noqa: SIM115
    # surrogateescape keeps undecodable bytes so that one badly encoded row is reported, not fatal
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


def _badly_encoded(values: Collection[str]) -> bool:
    try:
        "\x1f".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_rows(
    path: Path,
    required: Collection[str],
    *,
    encoding: str = "utf-8",
    format: Format | None = None,
) -> Iterator[tuple[int, Row] | RowError]:
    """Rows of a catalogue file as ``(line, row)`` with lower-cased column names, or RowErrors.

    Raises NotACatalogue when the file is missing, unreadable, or lacks a ``required`` column.
    """
    if not path.is_file():
        raise NotACatalogue(f"{path}: no such file")
    fmt = format or detect_format(path)
    reader = _read_jsonl if fmt == "jsonl" else _read_csv
    try:
        yield from reader(path, {c.lower() for c in required}, encoding)
    except (OSError, EOFError, LookupError, gzip.BadGzipFile) as exc:
        raise NotACatalogue(f"{path}: cannot be read as {fmt} ({exc})") from exc


def _read_csv(
    path: Path, required: set[str], encoding: str
) -> Iterator[tuple[int, Row] | RowError]:
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except (csv.Error, StopIteration) as exc:
            raise NotACatalogue(f"{path}: not a CSV file with a header row ({exc})") from exc
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        missing = required - set(names)
        if missing or _badly_encoded(names):
            raise NotACatalogue(
                f"{path}: not a catalogue of this kind: missing column(s) "
                f"{', '.join(sorted(missing)) or '(header not readable)'}; "
                f"found {', '.join(repr(n) for n in names[:12])[:300]}"
            )
        line = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowError(path.name, line, f"malformed CSV ({exc})")
                line = reader.line_num + 1
                continue
            start, line = line, reader.line_num + 1
            if not fields:
                continue
            if _badly_encoded(fields):
                yield RowError(path.name, start, f"bytes that are not valid {encoding}")
            elif len(fields) != len(names):
                yield RowError(
                    path.name, start, f"{len(fields)} fields where the header has {len(names)}"
                )
            else:
                yield start, dict(zip(names, fields, strict=True))


def _read_jsonl(
    path: Path, required: set[str], encoding: str
) -> Iterator[tuple[int, Row] | RowError]:
    with _open_text(path, encoding) as handle:
        seen_object = False
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError as exc:
                if not seen_object:
                    raise NotACatalogue(f"{path}: not JSON lines (line {number}: {exc})") from exc
                yield RowError(path.name, number, f"invalid JSON ({exc})")
                continue
            if not isinstance(value, dict):
                if not seen_object:
                    raise NotACatalogue(f"{path}: line {number} is not a JSON object")
                yield RowError(path.name, number, "not a JSON object")
                continue
            row = {str(key).lower(): item for key, item in value.items()}
            if not seen_object and required - set(row):
                raise NotACatalogue(
                    f"{path}: not a catalogue of this kind: first record lacks "
                    + ", ".join(sorted(required - set(row)))
                )
            seen_object = True
            missing = required - set(row)
            if missing:
                yield RowError(path.name, number, "missing field(s) " + ", ".join(sorted(missing)))
            else:
                yield number, row


def load_products(
    path: Path,
    required: Collection[str],
    to_product: Callable[[str, Row], Product],
    *,
    id_column: str,
    id_prefix: str = "",
    encoding: str = "utf-8",
    format: Format | None = None,
) -> Iterator[Product | RowError]:
    """Products of one file, built by ``to_product(product_id, row)``.

    A row without an id, with an id seen on an earlier line, or that ``to_product`` rejects with
    a ValueError (pydantic's ValidationError included) becomes a RowError.
    """
    first_line: dict[str, int] = {}
    for item in read_rows(path, {*required, id_column}, encoding=encoding, format=format):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        raw_id = text(row, id_column)
        if not raw_id:
            yield RowError(path.name, line, f"{id_column}: missing product id")
            continue
        pid = id_prefix + raw_id
        if pid in first_line:
            yield RowError(path.name, line, f"duplicate id {pid} (first on line {first_line[pid]})")
            continue
        first_line[pid] = line
        try:
            yield to_product(pid, row)
        except ValueError as exc:
            yield RowError(path.name, line, describe(exc), pid)


def describe(exc: ValueError) -> str:
    """A one-line reason for a rejected row."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'row'}: {error['msg']}"
            for error in exc.errors()
        )
    return str(exc)


# Field converters shared by the loaders: each raises ValueError naming the field.


def text(row: Row, column: str) -> str:
    """A column as stripped text ('' when absent or null)."""
    value = row.get(column)
    return "" if value is None else str(value).strip()


def number(row: Row, column: str) -> float | None:
    """A column as a finite float; None when empty. Accepts '1,299' and a leading currency sign."""
    value = row.get(column)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        parsed = float(value)
    else:
        cleaned = str(value).strip().replace(",", "").lstrip("₹$€£").strip()
        if not cleaned:
            return None
        try:
            parsed = float(cleaned)
        except ValueError:
            raise ValueError(f"{column}: not a number: {str(value)[:40]!r}") from None
    if not math.isfinite(parsed):
        raise ValueError(f"{column}: not a finite number: {value!r}")
    return parsed
