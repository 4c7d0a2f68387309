"""Ingestion: idempotent upsert, summary, prune, refusal that leaves the store intact, updates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from retrieval.ingest import ingest, update_product
from retrieval.loaders import NotACatalogue
from retrieval.store import ProductStore
from tests.helpers.catalogues import write_catalogue


def test_ingest_is_idempotent_and_summarises(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings()
    source = write_catalogue(tmp_path / "c.csv", 40)
    with source.open("a") as handle:
        handle.write("41,Broken,Beverages,Tea,Tata,free,10,Green Tea,\n")
    first = ingest(str(source), settings=settings)
    assert first.summary() | {"source": ""} == {
        "source": "",
        "kind": "bigbasket",
        "read": 41,
        "ingested": 40,
        "added": 40,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "pruned": 0,
        "in_store": 40,
    }
    assert str(first.errors[0]) == "c.csv:42: sale_price: not a number: 'free'"
    again = ingest(str(source), settings=settings, limit=10)
    assert (again.read, again.unchanged, again.added + again.updated, again.total) == (
        10,
        10,
        0,
        40,
    )


def test_prune_removes_only_what_the_source_no_longer_has(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings()
    ingest(str(write_catalogue(tmp_path / "c.csv", 30)), settings=settings)
    smaller = write_catalogue(tmp_path / "smaller.csv", 20)
    with smaller.open("a") as handle:  # bb-21 is still in the source, though now invalid
        handle.write("21,Broken,Beverages,Tea,Tata,-1,10,Green Tea,\n")
    report = ingest(str(smaller), settings=settings, prune=True)
    assert (report.pruned, report.total, len(report.errors)) == (9, 21, 1)
    assert ProductStore(settings).ids() == {f"bb-{i}" for i in range(1, 22)}


def test_refused_file_leaves_the_store_intact(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings()
    ingest(str(write_catalogue(tmp_path / "c.csv", 15)), settings=settings)
    before = ProductStore(settings).all_products()
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    all_bad = write_catalogue(tmp_path / "bad.csv", 0)
    with all_bad.open("a") as handle:
        handle.write("1,Tea,Beverages,Tea,Tata,n/a,10,Green Tea,\n")
    for source in (junk, all_bad):
        with pytest.raises(NotACatalogue):
            ingest(str(source), settings=settings, prune=True)
    assert ProductStore(settings).all_products() == before


def test_update_one_product(tmp_path: Path, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    ingest(str(write_catalogue(tmp_path / "c.csv", 5)), settings=settings)
    updated = update_product("bb-2", {"price": 12.34, "rating": 4.9}, settings)
    stored = ProductStore(settings).get(["bb-2"])[0]
    assert stored == updated and (stored.price, stored.rating) == (12.34, 4.9)
    created = update_product("new-1", {"title": "Masala Chai", "price": 80}, settings)
    assert ProductStore(settings).get(["new-1"]) == [created]
    with pytest.raises(ValueError):
        update_product("bb-2", {"price": -5}, settings)


def test_a_failed_write_loses_nothing_and_a_rerun_finishes_the_job(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api.models.Collection import Collection

    settings = make_settings(ingest_batch_size=7)
    ingest(str(write_catalogue(tmp_path / "c.csv", 30)), settings=settings)
    before = {p.id: p for p in ProductStore(settings).all_products()}
    changed = write_catalogue(tmp_path / "changed.csv", 30, seed=8)  # other titles and prices
    upsert, calls = Collection.upsert, []

    def fail_third(collection: Collection, *args: Any, **kwargs: Any) -> None:
        calls.append(kwargs["ids"])
        if len(calls) == 3:
            raise OSError("disk I/O error")
        upsert(collection, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Collection, "upsert", fail_third)
        with pytest.raises(OSError, match="disk I/O error"):
            ingest(str(changed), settings=settings, show_progress=True)
    stored = {p.id: p for p in ProductStore(settings).all_products()}
    written = {i for ids in calls[:2] for i in ids}
    assert len(written) == 14 and stored.keys() == before.keys()
    assert all(stored[i] == before[i] for i in before.keys() - written)  # not written: as before
    assert all(stored[i] != before[i] for i in written)  # written whole, in the new version
    rerun = ingest(str(changed), settings=settings)  # only the products not yet written
    assert (rerun.unchanged, rerun.updated, rerun.total) == (14, 16, 30)
