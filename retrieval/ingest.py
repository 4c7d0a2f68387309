"""Loading a catalogue into the product store: validate everything first, then upsert by id.

A run reads and validates the whole source before it writes anything, so a file that is not a
catalogue changes nothing; unchanged products (same content hash) are not re-embedded, so a
second run of the same source is quick; ``prune`` removes only ids that the source no longer has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.settings import Settings, get_settings
from retrieval.loaders import NotACatalogue, RowError, Source, resolve
from retrieval.schema import Product
from retrieval.store import ProductStore, content_hash


@dataclass
class IngestReport:
    """What one ingestion run read, wrote and skipped."""

    source: str
    kind: str
    valid: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    total: int = 0  # products in the store after the run
    errors: list[RowError] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.valid + len(self.errors)

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "read": self.read,
            "ingested": self.added + self.updated,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.errors),
            "pruned": self.pruned,
            "in_store": self.total,
        }


def read_source(source: Source, limit: int | None = None) -> tuple[list[Product], list[RowError]]:
    """All valid products of a source (the first ``limit`` ones) and its bad rows.

    Raises NotACatalogue when the source yields no valid product at all.
    """
    products: list[Product] = []
    errors: list[RowError] = []
    for item in source.rows():
        if isinstance(item, RowError):
            errors.append(item)
            continue
        products.append(item)
        if limit is not None and len(products) >= limit:
            break
    if not products:
        first = "; ".join(str(e) for e in errors[:3])
        raise NotACatalogue(
            f"{source.path}: no valid product rows"
            + (f" ({len(errors)} bad, e.g. {first})" if errors else "")
        )
    return products, errors


def ingest(
    source: str | None = None,
    *,
    settings: Settings | None = None,
    limit: int | None = None,
    mapping: Path | None = None,
    prune: bool = False,
    show_progress: bool = False,
) -> IngestReport:
    """Upsert a catalogue (a built-in name, or a file with an optional mapping) into the store.

    Raises NotACatalogue, before writing anything, when the source cannot be read as a catalogue.
    """
    settings = settings or get_settings()
    resolved = resolve(source or settings.catalog, settings.data_dir, mapping)
    products, errors = read_source(resolved, limit)
    report = IngestReport(str(resolved.path), resolved.kind, valid=len(products), errors=errors)

    store = ProductStore(settings)
    stored = store.hashes()
    changed = [p for p in products if stored.get(p.id) != content_hash(p)]
    report.added = sum(p.id not in stored for p in changed)
    report.updated = len(changed) - report.added
    report.unchanged = len(products) - len(changed)
    upsert_with_progress(store, changed, show_progress)

    if prune:
        seen = {p.id for p in products} | {e.product_id for e in errors if e.product_id}
        report.pruned = store.delete(sorted(set(stored) - seen))
    report.total = store.count()
    return report


def upsert_with_progress(store: ProductStore, products: list[Product], show_progress: bool) -> None:
    """Upsert, with a progress bar on stderr when ``show_progress``."""
    if not show_progress:
        store.upsert(products)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("ingesting products", total=len(products))
        store.upsert(products, on_progress=lambda n: progress.advance(task, n))


def update_product(
    product_id: str, changes: dict[str, Any], settings: Settings | None = None
) -> Product:
    """Change (or create) one product: ``changes`` are Product fields merged over the stored one.

    Raises ValueError (pydantic's ValidationError) when the result is not a valid product.
    """
    store = ProductStore(settings or get_settings())
    current = store.get([product_id])
    data = current[0].model_dump() if current else {"id": product_id}
    product = Product.model_validate({**data, **changes, "id": product_id})
    store.upsert([product])
    return product
