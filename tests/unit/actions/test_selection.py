"""ProductAction: the shared select-then-act step of the product actions."""

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import selection
from actions.compare import ActionCompareProducts
from actions.selection import ProductAction
from retrieval.schema import Product

SHOWN = [Product(id="p1", title="Dove Soap"), Product(id="p2", title="Lux Soap")]


class Record(ProductAction):
    action_name = "action_record"

    def act(self, products, dispatcher, tracker) -> list[dict[str, Any]]:
        return [{"acted_on": [p.id for p in products]}]


def run(action: ProductAction, text: str, shown: list[str]) -> tuple[list, CollectingDispatcher]:
    tracker = Tracker("s", {"shown_products": shown}, {"text": text}, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    return asyncio.run(action.run(dispatcher, tracker, {})), dispatcher


@pytest.fixture(autouse=True)
def catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    by_id = {p.id: p for p in SHOWN}
    monkeypatch.setattr(selection, "products_by_id", lambda ids: [by_id[i] for i in ids or []])


def test_acts_on_the_referenced_products() -> None:
    events, _ = run(Record(), "the second one", ["p1", "p2"])
    assert events == [{"acted_on": ["p2"]}]
    assert Record().name() == "action_record"


def test_does_not_act_without_a_selection_and_says_why() -> None:
    events, dispatcher = run(Record(), "add it", [])
    assert events == []
    assert "haven't shown you any products" in dispatcher.messages[0]["text"]
    events, dispatcher = run(Record(), "add it", ["p1", "p2"])  # two shown, none singled out
    assert events == [] and "Which one" in dispatcher.messages[0]["text"]


def test_compare_defaults_to_everything_shown() -> None:
    _, dispatcher = run(ActionCompareProducts(), "compare them", ["p1", "p2"])
    assert dispatcher.messages[0]["text"].startswith("Comparing 2 products")


@pytest.mark.parametrize("text", ["add one", "buy 1 please", "add one to my cart"])
def test_add_one_with_several_shown_takes_the_top_result(text: str) -> None:
    events, _ = run(Record(), text, ["p1", "p2"])
    assert events == [{"acted_on": ["p1"]}]


@pytest.mark.parametrize("text", ["the brown one", "that red one please"])
def test_pointing_at_a_product_before_any_is_shown_is_not_a_search(text: str) -> None:
    from actions.search import ActionSearchProducts

    latest = {"text": text, "intent": {"name": "search_products"}, "entities": []}
    tracker = Tracker("s", {"shown_products": None}, latest, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSearchProducts().run(dispatcher, tracker, {}))
    assert events == [] and "haven't shown you any products" in dispatcher.messages[0]["text"]


def test_a_product_listed_twice_is_shown_once() -> None:
    from actions.search import distinct
    from retrieval.schema import Product, SearchHit

    def hit(pid: str, title: str, price: float) -> SearchHit:
        return SearchHit(
            product=Product(id=pid, title=title, brand="bb Royal", price=price), score=1.0
        )

    hits = [
        hit("a", "Mixed Dal", 149.0),
        hit("b", "Mixed Dal ", 149.0),
        hit("c", "Mixed Dal", 99.0),
    ]
    assert [h.product.id for h in distinct(hits)] == ["a", "c"]
