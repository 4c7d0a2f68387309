"""Personal search over a stand-in searcher (no Chroma, no encoder)."""

from collections.abc import Sequence
from dataclasses import dataclass

from core.settings import Settings
from profiles.features import ShopperFeatures
from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind
from retrieval.schema import Filters, Product, SearchHit
from search.pipeline import search_products
from tests.helpers.catalogues import product

CATALOGUE = [
    product(f"p{n}", brand="Acme", category=("beverages", "soft drinks"), price=float(n))
    for n in range(1, 30)
]


@dataclass
class FakeStore:
    products: list[Product]

    def get(self, ids: Sequence[str]) -> list[Product]:
        return [p for p in self.products if p.id in set(ids)]


class FakeSearcher:
    """Returns the catalogue in order, as if every product matched equally worse."""

    def __init__(self) -> None:
        self.store = FakeStore(CATALOGUE)

    def search(self, query: str, filters: Filters | None = None, k: int = 5) -> list[SearchHit]:
        found = [p for p in CATALOGUE if (filters or Filters()).accepts(p)]
        return [SearchHit(product=p, score=1 / (n + 1)) for n, p in enumerate(found[:k])]


def test_anonymous_search_is_the_plain_search(profile_settings: Settings) -> None:
    plain = FakeSearcher().search("soft drinks", k=5)
    assert search_products(FakeSearcher(), "soft drinks", k=5, settings=profile_settings) == plain


def test_past_purchases_beyond_the_retrieval_depth_are_recalled(profile_settings: Settings) -> None:
    settings = profile_settings.model_copy(update={"personalization_depth": 10})
    profile = ShopperFeatures(bought={"p25": 5.0}, aisle={"soft drinks": 1.0})
    found = search_products(FakeSearcher(), "soft drink", k=5, settings=settings, profile=profile)
    assert found[0].product.id == "p25"
    assert found[0].reason == "you buy this often"


def test_recalled_purchases_still_honour_filters(profile_settings: Settings) -> None:
    settings = profile_settings.model_copy(update={"personalization_depth": 5})
    profile = ShopperFeatures(bought={"p25": 2.0})
    found = search_products(
        FakeSearcher(), "soft drink", Filters(max_price=10), k=5, settings=settings, profile=profile
    )
    assert "p25" not in {hit.product.id for hit in found}


def test_a_known_shoppers_stored_profile_reorders_the_search(profile_settings: Settings) -> None:
    ProfileStore(profile_settings).record(
        [("web-1", NewEvent(kind=EventKind.PURCHASE, product=CATALOGUE[2])) for _ in range(3)]
    )
    plain = FakeSearcher().search("soft drinks", k=5)
    found = search_products(
        FakeSearcher(), "soft drinks", k=5, shopper_id="web-1", settings=profile_settings
    )
    assert found[0].product.id == "p3"
    assert plain[0].product.id != "p3"
    assert (
        search_products(
            FakeSearcher(), "soft drinks", k=5, shopper_id="someone-else", settings=profile_settings
        )
        == plain
    )
