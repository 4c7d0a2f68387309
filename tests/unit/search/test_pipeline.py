"""Personal search over a small real catalogue store (Chroma, ingested once per session)."""

from pathlib import Path

import pytest

from core.settings import Settings
from profiles.features import ShopperFeatures
from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind
from retrieval.schema import Filters, Product
from retrieval.search import HybridSearcher, get_searcher
from search.pipeline import search_products

QUERY = "shampoo"


@pytest.fixture()
def settings(shared_catalogue: tuple[Settings, Path], tmp_path: Path) -> Settings:
    """The shared catalogue store, with this test's own profile database."""
    catalogue, _ = shared_catalogue
    return catalogue.model_copy(
        update={"environment": "test", "database_url": f"sqlite:///{tmp_path / 'aisle.db'}"}
    )


@pytest.fixture()
def searcher(settings: Settings) -> HybridSearcher:
    return get_searcher(settings)


def beyond_the_search(searcher: HybridSearcher, depth: int) -> Product:
    """A product whose title has the query's word but that search does not find in ``depth``."""
    found = {hit.product.id for hit in searcher.search(QUERY, k=depth)}
    others = [
        p
        for p in searcher.store.all_products()
        if QUERY in p.title.lower().split() and p.id not in found
    ]
    assert others, "the generated catalogue has more shampoos than the search depth"
    return others[-1]


def test_anonymous_search_is_the_plain_search(searcher: HybridSearcher, settings: Settings) -> None:
    plain = searcher.search(QUERY, k=5)
    assert len(plain) == 5
    assert search_products(searcher, QUERY, k=5, settings=settings) == plain


def test_past_purchases_beyond_the_retrieval_depth_are_recalled(
    searcher: HybridSearcher, settings: Settings
) -> None:
    settings = settings.model_copy(update={"personalization_depth": 10})
    bought = beyond_the_search(searcher, 10)
    profile = ShopperFeatures(bought={bought.id: 5.0}, aisle={bought.category[-1]: 1.0})
    found = search_products(searcher, QUERY, k=5, settings=settings, profile=profile)
    assert found[0].product.id == bought.id
    assert found[0].reason == "you buy this often"


def test_recalled_purchases_still_honour_filters(
    searcher: HybridSearcher, settings: Settings
) -> None:
    settings = settings.model_copy(update={"personalization_depth": 5})
    bought = beyond_the_search(searcher, 5)
    assert bought.price
    profile = ShopperFeatures(bought={bought.id: 2.0})
    filters = Filters(max_price=bought.price - 1)
    found = search_products(searcher, QUERY, filters, k=5, settings=settings, profile=profile)
    assert found and bought.id not in {hit.product.id for hit in found}


def test_a_known_shoppers_stored_profile_reorders_the_search(
    searcher: HybridSearcher, settings: Settings
) -> None:
    plain = searcher.search(QUERY, k=5)
    favourite = plain[2].product
    ProfileStore(settings).record(
        [("web-1", NewEvent(kind=EventKind.PURCHASE, product=favourite)) for _ in range(3)]
    )
    found = search_products(searcher, QUERY, k=5, shopper_id="web-1", settings=settings)
    assert found[0].product.id == favourite.id
    other = search_products(searcher, QUERY, k=5, shopper_id="someone-else", settings=settings)
    assert other == plain
