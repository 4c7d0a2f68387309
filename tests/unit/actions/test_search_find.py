"""``actions.search.find`` over a small catalogue: how a brand named alone is read."""

from __future__ import annotations

import pytest

import search
from actions.constraints import Constraints
from actions.search import find
from retrieval import search as retrieval_search
from retrieval.schema import Filters, Product, SearchHit
from retrieval.search import HybridSearcher

CATALOGUE = [
    Product(id="b", title="Cream Biscuits", brand="Maltova", category=("Snacks", "Biscuits")),
    Product(id="d", title="Malt Drink - Maltova", brand="Maltova", category=("Drinks", "Malt")),
    Product(id="k", title="Malt Drink - Kids", brand="Maltova", category=("Drinks", "Kids")),
    Product(id="g", title="Leaf Tea", brand="Kanan Gold", category=("Beverages", "Tea")),
    Product(id="t", title="Dust Tea", brand="Kanan", category=("Beverages", "Tea")),
    Product(id="p", title="Gold Tea - Premium", brand="Kanan", category=("Beverages", "Tea")),
    Product(
        id="w", title="Sports Shoes", brand="Stride", category=("Footwear", "Shoes"), price=900
    ),
    Product(id="s", title="Stride Kids Red Clogs", brand="Stride", category=("Footwear", "Clogs")),
    Product(id="c", title="Maltova Drink 1 kg + Mug 1 pc", brand="Maltova", category=("D", "M")),
    Product(id="q", title="Leaf Tea 250 g", brand="Kanan Gold", category=("Beverages", "Tea")),
]


class Searcher:
    """The parts of :class:`HybridSearcher` that ``find`` uses, over ``CATALOGUE``."""

    split_brand = HybridSearcher.split_brand

    def resolve_brand(self, name: str) -> str | None:
        return {p.brand.casefold(): p.brand for p in CATALOGUE}.get(name.casefold())

    def products(self) -> list[Product]:
        return CATALOGUE

    def lexical(self, text: str, filters: Filters, k: int) -> list[Product]:
        return [p for p in CATALOGUE if filters.accepts(p)][:k]


@pytest.fixture(autouse=True)
def catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    searcher = Searcher()
    monkeypatch.setattr(retrieval_search, "get_searcher", lambda: searcher)
    monkeypatch.setattr(
        search,
        "search_products",
        lambda s, text, filters, k, shopper_id=None: [
            SearchHit(product=p, score=0.0) for p in CATALOGUE if filters.accepts(p)
        ][:k],
    )


def shown(text: str) -> list[str]:
    return [hit.product.id for hit in find(Constraints(product=text)).hits]


def test_a_brand_alone_shows_its_products_its_own_line_first():
    assert shown("maltova") == ["d", "b", "k", "c"]  # a combo last
    assert shown("stride") == ["s", "w"]  # the brand's name in a title is no other kind


def test_a_brand_with_only_modifiers_is_the_brand_with_a_filter():
    assert shown("maltova for kids") == ["k"]


def test_the_whole_words_naming_a_brand_are_that_brand_not_its_parent():
    assert shown("kanan gold") == ["g", "q"]
    assert shown("kanan dust tea") == ["t"]  # a brand and a product: Kanan's dust tea


def test_nothing_in_the_budget_says_whether_the_kind_is_sold_at_all():
    from actions.search import not_found_reply

    unsold = find(Constraints(product="sofa", max_price=500.0))
    assert unsold.hits == [] and not unsold.sold
    assert not_found_reply(unsold, cheap=False)[0].startswith("I couldn't find sofa — we sell")
    pricey = find(Constraints(product="sports shoes", max_price=10.0))
    assert pricey.hits == [] and pricey.sold
    assert "different budget" in not_found_reply(pricey, cheap=False)[0]


def test_a_list_all_of_the_asked_size_is_not_the_closest_sizes():
    from actions.search import by_pack_size

    hits = [SearchHit(product=p, score=0.0) for p in CATALOGUE if p.id == "q"]
    assert by_pack_size(hits, Constraints(product="tea", size="250 g")) == (hits, False)
