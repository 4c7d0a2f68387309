"""Hybrid search: relevant results, exact filters on every path, completeness, freshness."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from retrieval.ingest import ingest, update_product
from retrieval.schema import Filters
from retrieval.search import HybridSearcher, _brand_key, get_product, get_products, get_searcher
from retrieval.store import ProductStore
from retrieval.text import product_text
from tests.helpers.catalogues import BRANDS, CATEGORIES, write_catalogue

Shared = tuple[Settings, Path]


def random_filters(rng: random.Random) -> Filters:
    low, high = sorted(
        rng.choice([49.0, 99.0, 99.5, 120.0, 199.99, 200.0, 600.0]) for _ in range(2)
    )
    levels = [level for path in CATEGORIES for level in path]
    return Filters(
        min_price=rng.choice([None, None, low]),
        max_price=rng.choice([None, high]),
        brands=tuple(b.lower() for b in rng.sample(BRANDS, rng.choice([0, 0, 1, 2]))),
        category=rng.choice([None, None, rng.choice(levels).upper()]),
        min_rating=rng.choice([None, None, 0.0, 3.9, 4.5]),
        exclude_ids=tuple(f"bb-{rng.randrange(1, 300)}" for _ in range(rng.choice([0, 5]))),
    )


def test_results_are_relevant(shared_catalogue: Shared) -> None:
    searcher = get_searcher(shared_catalogue[0])
    hits = searcher.search("green tea", k=5)
    assert len(hits) == 5 and all("tea" in h.product.title.lower() for h in hits)
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    assert get_searcher(shared_catalogue[0]) is searcher


def test_filters_are_exact_and_nothing_matching_is_dropped(shared_catalogue: Shared) -> None:
    settings, _ = shared_catalogue
    searcher = get_searcher(settings)
    catalogue = ProductStore(settings).all_products()
    rng = random.Random(11)
    queries = ["shampoo", "basmati rice", "coffee", "organic oil", "", "zzz unknown words"]
    for _ in range(60):
        filters = random_filters(rng)
        matching = {p.id for p in catalogue if filters.accepts(p)}
        k = rng.choice([3, 10])
        query = rng.choice(queries)
        hits = searcher.search(query, filters, k=k)
        ids = [h.product.id for h in hits]
        assert set(ids) <= matching, (query, filters)
        assert len(ids) == len(set(ids)) == min(k, len(matching)), (query, filters)
        for side in (searcher.dense, searcher.lexical):
            assert all(filters.accepts(p) for p in side(query, filters, k)), (side, filters)


def test_empty_query_returns_best_rated_matches(shared_catalogue: Shared) -> None:
    searcher = get_searcher(shared_catalogue[0])
    hits = searcher.search("", Filters(category="beverages", max_price=200), k=4)
    ratings = [h.product.rating or 0 for h in hits]
    assert len(hits) == 4 and ratings == sorted(ratings, reverse=True) and ratings[0] == 5
    assert all("Beverages" in h.product.category and h.product.price <= 200 for h in hits)


def test_lookup_by_id_and_brand(shared_catalogue: Shared) -> None:
    settings, _ = shared_catalogue
    assert [p.id for p in get_products(["bb-3", "nope", "bb-1"], settings)] == ["bb-3", "bb-1"]
    assert get_product("nope", settings) is None
    searcher = get_searcher(settings)
    assert searcher.resolve_brand("sri sri  AYURVEDA") == "Sri Sri Ayurveda"
    assert searcher.resolve_brand("Unknown Brand") is None


def test_searcher_notices_store_changes(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:

    settings = make_settings()
    ingest(str(write_catalogue(tmp_path / "c.csv", 20)), settings=settings)
    searcher = HybridSearcher(ProductStore(settings))
    assert searcher.search("", Filters(max_price=1.0)) == []
    update_product("bb-4", {"price": 0.5, "title": "Saffron Kesar Strands"}, settings)
    [hit] = searcher.search("saffron", Filters(max_price=1.0))
    assert (hit.product.id, hit.product.price) == ("bb-4", 0.5)
    assert searcher.lexical("saffron kesar", k=1)[0].id == "bb-4"


def test_filtered_dense_search_is_exact(shared_catalogue: Shared) -> None:
    """A filtered dense search is the unfiltered exact ranking with non-matching products left
    out (no approximate index drops a neighbour)."""
    settings, _ = shared_catalogue
    searcher = get_searcher(settings)
    catalogue = ProductStore(settings).all_products()
    rng = random.Random(5)
    for query in ("green tea", "shampoo for dandruff", "cooking oil"):
        ranking = searcher.dense(query, None, k=len(catalogue))
        assert len(ranking) == len(catalogue)
        for _ in range(10):
            filters = random_filters(rng)
            expected = [product_text(p).casefold() for p in ranking if filters.accepts(p)][:10]
            found = searcher.dense(query, filters, k=10)
            assert all(filters.accepts(p) for p in found), filters
            # texts, not ids: products with the same (uncased) text tie; either may come first
            assert [product_text(p).casefold() for p in found] == expected, filters


def test_brand_names_match_with_and_or_ampersand() -> None:
    assert _brand_key("head and shoulders") == _brand_key("Head & shoulders") == "headshoulders"
    assert _brand_key("Sandoz") == "sandoz"  # "and" inside a word stays
