"""Catalogue loaders: one module per catalogue format, each yielding Products and RowErrors.

Each module exposes ``NAME``, ``DEFAULT_FILE`` (relative to the data folder), ``load(path)`` and
either ``REQUIRED`` (the columns that identify its format) or a generic-loader ``MAPPING``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import ModuleType

from retrieval.loaders import bigbasket, flipkart, instacart, mapped, myntra
from retrieval.loaders.reader import NotACatalogue, RowError, read_rows
from retrieval.schema import Product

BUILTIN: dict[str, ModuleType] = {
    module.NAME: module for module in (bigbasket, myntra, flipkart, instacart)
}

__all__ = ["BUILTIN", "NotACatalogue", "RowError", "Source", "resolve"]


@dataclass(frozen=True)
class Source:
    """A catalogue file and the loader that reads it."""

    path: Path
    kind: str
    load: Callable[[Path], Iterator[Product | RowError]]

    def rows(self) -> Iterator[Product | RowError]:
        return self.load(self.path)


def resolve(source: str, data_dir: Path, mapping: Path | None = None) -> Source:
    """The catalogue ``source`` names: a built-in catalogue (read from ``data_dir``), a file read
    through a ``mapping`` file, or a file in a built-in format (recognised by its header).

    Raises NotACatalogue when the file or mapping cannot be used.
    """
    if mapping is not None:
        rules = mapped.Mapping.from_file(mapping)
        return Source(Path(source), f"mapping {mapping.name}", partial(mapped.load, mapping=rules))
    if source in BUILTIN:
        module = BUILTIN[source]
        return Source(data_dir / module.DEFAULT_FILE, module.NAME, module.load)
    path = Path(source)
    if not path.is_file():
        raise NotACatalogue(
            f"{source}: no such file, and not a catalogue name ({', '.join(BUILTIN)})"
        )
    for module in BUILTIN.values():
        try:
            next(iter(read_rows(path, module.REQUIRED)), None)
        except NotACatalogue:
            continue
        return Source(path, module.NAME, module.load)
    raise NotACatalogue(
        f"{source}: not a known catalogue ({', '.join(BUILTIN)}) and its header matches none of "
        "their formats; describe its columns in a mapping file and pass --mapping"
    )
