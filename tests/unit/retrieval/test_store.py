"""The Chroma product store: exact round trip of products, upsert by id, revision, HNSW settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from core.settings import Settings
from retrieval.encoder import MiniLMEncoder
from retrieval.schema import Product
from retrieval.store import ProductStore, from_metadata, to_metadata
from retrieval.text import product_text

PRODUCT = Product(
    id="x-1",
    title="Navy Blue Polo T-shirt",
    description="Cotton, regular fit",
    brand="Puma",
    category=("Apparel", "Topwear", "Tshirts"),
    price=1299.99,
    list_price=1999.0,
    currency="INR",
    colour="Navy Blue",
    size="M",
    gender="Men",
    rating=4.3,
    image_url="https://example.org/1.jpg",
    attributes={"season": "Summer", "usage": "Casual"},
)


def test_metadata_round_trip_is_exact() -> None:
    meta = to_metadata(PRODUCT)
    assert meta["_brand"] == "puma" and meta["_category"] == ["apparel", "topwear", "tshirts"]
    assert from_metadata(meta) == PRODUCT
    bare = Product(id="x-2", title="Rice")
    assert from_metadata(to_metadata(bare)) == bare


def test_upsert_get_delete_and_revision(make_settings: Callable[..., Settings]) -> None:
    store = ProductStore(make_settings())
    first = store.revision()
    cheaper = PRODUCT.model_copy(update={"price": 999.01})
    store.upsert([PRODUCT, Product(id="x-2", title="Basmati Rice", price=0.1)])
    second = store.revision()
    store.upsert([cheaper])
    assert store.count() == 2
    assert len({first, second, store.revision()}) == 3
    assert store.get(["missing", "x-1", "x-2"])[0] == cheaper
    assert [p.price for p in store.get(["x-2", "x-1"])] == [0.1, 999.01]
    assert store.delete(["x-2"]) == 1
    assert store.ids() == {"x-1"}


def test_collection_uses_configured_hnsw_settings(make_settings: Callable[..., Settings]) -> None:
    store = ProductStore(make_settings(hnsw_ef_search=123, hnsw_max_neighbors=24))
    hnsw = store.collection.configuration_json["hnsw"]
    assert (hnsw["space"], hnsw["ef_search"], hnsw["max_neighbors"]) == ("cosine", 123, 24)
    reopened = ProductStore(make_settings(hnsw_ef_search=77))
    assert reopened.collection.configuration_json["hnsw"]["ef_search"] == 77


def test_pipelined_upsert_stores_every_product_as_written_one_by_one(
    make_settings: Callable[..., Settings],
) -> None:
    products = [
        Product(id=f"p-{i}", title=f"{'Organic ' * (i % 5)}Tea {i}", price=float(i), brand="Tata")
        for i in range(45)
    ]
    store = ProductStore(make_settings(ingest_batch_size=8))
    seen: list[tuple[int, str]] = []
    store.upsert(products, on_progress=lambda n: seen.append((n, store.revision())))
    # progress counts written batches, each after its own new revision
    assert [n for n, _ in seen] == [8, 8, 8, 8, 8, 5]
    assert len({revision for _, revision in seen}) == 6 and seen[-1][1] == store.revision()
    stored = store.collection.get(include=["documents", "metadatas", "embeddings"])
    by_id = dict(zip(stored["ids"], range(len(stored["ids"])), strict=True))
    assert sorted(by_id) == sorted(p.id for p in products)
    texts = [product_text(p) for p in products]
    alone = store.embed_documents(texts)
    for product, text, vector in zip(products, texts, alone, strict=True):
        row = by_id[product.id]
        assert stored["documents"][row] == text
        assert stored["metadatas"][row] == to_metadata(product)
        assert float(np.dot(stored["embeddings"][row], vector)) > 0.999


def test_a_failed_write_stops_the_run_and_keeps_what_was_stored(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api.models.Collection import Collection

    store = ProductStore(make_settings(ingest_batch_size=4))
    old = [Product(id=f"p-{i}", title=f"Tea {i:02d}", price=10.0) for i in range(12)]
    store.upsert(old)
    new = [p.model_copy(update={"price": 99.0}) for p in old]
    upsert, calls = Collection.upsert, []

    def fail_second(collection: Collection, *args: Any, **kwargs: Any) -> None:
        calls.append(len(kwargs["ids"]))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        upsert(collection, *args, **kwargs)

    monkeypatch.setattr(Collection, "upsert", fail_second)
    progress: list[int] = []
    with pytest.raises(RuntimeError, match="disk full"):
        store.upsert(new, on_progress=progress.append)
    assert calls == [4, 4] and progress == [4]  # nothing written after the failed batch
    prices = sorted(p.price for p in store.all_products())
    assert prices == [10.0] * 8 + [99.0] * 4  # the first batch new, the rest as before


def test_an_embedding_failure_waits_for_the_write_in_flight(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProductStore(make_settings(ingest_batch_size=4))
    encode, calls = MiniLMEncoder.encode, []

    def fail_second(encoder: MiniLMEncoder, texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        if len(calls) == 2:
            raise RuntimeError("out of memory")
        return encode(encoder, texts)

    monkeypatch.setattr(MiniLMEncoder, "encode", fail_second)
    with pytest.raises(RuntimeError, match="out of memory"):
        store.upsert([Product(id=f"p-{i}", title=f"Tea {i:02d}") for i in range(12)])
    assert store.count() == 4  # the first batch was written whole before the error surfaced


def test_a_locked_store_is_retried_then_the_error_surfaces():
    from retrieval.store import _retry_while_locked

    calls = []

    def locked_twice() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("Database error: (code: 5) database is locked")

    _retry_while_locked(locked_twice)
    assert len(calls) == 3

    def always_locked() -> None:
        raise RuntimeError("database is locked")

    with pytest.raises(RuntimeError, match="locked"):
        _retry_while_locked(always_locked, attempts=2)

    def broken() -> None:
        raise ValueError("another error")

    with pytest.raises(ValueError):
        _retry_while_locked(broken)
