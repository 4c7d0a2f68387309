"""Catalogue loaders: one module per catalogue format, each yielding Products and RowErrors.

Each module exposes ``NAME``, ``DEFAULT_FILE`` (relative to the data folder), ``COLUMNS`` and
``ID_COLUMN`` (its header, used to recognise a file) and ``load(path)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from retrieval.loaders import bigbasket
from retrieval.loaders.reader import NotACatalogue, RowError, read_rows
from retrieval.schema import Product

BUILTIN: dict[str, ModuleType] = {module.NAME: module for module in (bigbasket,)}

__all__ = ["BUILTIN", "NotACatalogue", "RowError", "Source", "resolve"]


@dataclass(frozen=True)
class Source:
    """A catalogue file and the loader that reads it."""

    path: Path
    kind: str
    loader: ModuleType

    def rows(self) -> Iterator[Product | RowError]:
        return self.loader.load(self.path)


def resolve(source: str, data_dir: Path) -> Source:
    """A built-in catalogue by name (read from ``data_dir``), or a file in a built-in format.

    Raises NotACatalogue when a file's header matches no built-in format.
    """
    if source in BUILTIN:
        module = BUILTIN[source]
        return Source(data_dir / module.DEFAULT_FILE, module.NAME, module)
    path = Path(source)
    if not path.is_file():
        raise NotACatalogue(
            f"{source}: no such file, and not a catalogue name ({', '.join(BUILTIN)})"
        )
    for module in BUILTIN.values():
        try:
            next(iter(read_rows(path, {*module.COLUMNS, module.ID_COLUMN})), None)
        except NotACatalogue:
            continue
        return Source(path, module.NAME, module)
    raise NotACatalogue(
        f"{source}: not a known catalogue ({', '.join(BUILTIN)}) and its header matches none of "
        "their formats; describe its columns in a mapping file and pass --mapping"
    )
