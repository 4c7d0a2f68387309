"""Ingestion: idempotent upsert, summary, prune, refusal that leaves the store intact, updates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aisle.settings import Settings
from retrieval.ingest import ingest, update_product
from retrieval.loaders import NotACatalogue
from retrieval.store import ProductStore
from tests.unit.retrieval.conftest import write_catalogue


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
