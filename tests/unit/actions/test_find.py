"""The search every action runs applies the brand exclusions and price order its constraints
carry, whichever action calls it (a complaint after "not <brand>" once showed that brand)."""

from pathlib import Path

import pytest

from actions.constraints import Constraints
from actions.search import find
from actions.shopping_query import PRICE_ASC
from core.settings import Settings
from retrieval import search
from retrieval.schema import Product


@pytest.fixture()
def shown(shared_catalogue: tuple[Settings, Path], monkeypatch) -> list[Product]:
    """The products a plain "shampoo" search shows on the shared catalogue."""
    settings, _ = shared_catalogue
    searcher = search.get_searcher(settings)
    monkeypatch.setattr(search, "get_searcher", lambda: searcher)
    products = [hit.product for hit in find(Constraints(product="shampoo")).hits]
    assert len({p.brand for p in products}) >= 2, "the catalogue has shampoos of several brands"
    return products


def test_excluded_brands_are_never_shown(shown: list[Product]) -> None:
    brand = shown[0].brand
    found = find(Constraints(product="shampoo", exclude_brands=(brand,)), exclude_ids=("x",))
    assert found.hits and all(h.product.brand.casefold() != brand.casefold() for h in found.hits)


def test_the_price_order_is_the_constraints(shown: list[Product]) -> None:
    prices = [h.product.price for h in find(Constraints(product="shampoo", sort=PRICE_ASC)).hits]
    assert prices == sorted(prices) and prices != [p.price for p in shown]


def test_the_cheapest_is_the_cheapest_of_every_product_of_the_kind(
    shown: list[Product], monkeypatch
) -> None:
    from actions import search as search_action

    monkeypatch.setattr(search_action, "FLOOR_DEPTH", 3)  # fewer than the catalogue's shampoos
    every = [p for p in search.get_searcher().products() if "shampoo" in p.title.lower()]
    assert len(every) > 3
    cheapest = find(Constraints(product="shampoo", sort=PRICE_ASC)).hits[0].product
    assert cheapest.price == min(p.price for p in every if p.price is not None)
