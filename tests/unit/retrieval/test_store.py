"""The Chroma product store: exact round trip of products, upsert by id, revision, HNSW settings."""

from __future__ import annotations

from collections.abc import Callable

from aisle.settings import Settings
from retrieval.schema import Product
from retrieval.store import ProductStore, from_metadata, to_metadata

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
