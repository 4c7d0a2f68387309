"""Yes/no questions about the products on screen are answered from the catalogue's words."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import questions
from actions.questions import answer_question, question_terms
from retrieval.schema import Product

SHOWN = [
    Product(id="a", title="Almond Hair Oil", brand="Dabur", description="Light and non-sticky."),
    Product(
        id="b",
        title="Coconut Hair Oil",
        brand="Parachute",
        description="Pure coconut oil. Nourishes dry and frizzy hair from root to tip. Made in "
        "India.",
    ),
    Product(id="c", title="Onion Hair Oil For Dry Hair", brand="Mamaearth"),
]
BY_ID = {p.id: p for p in SHOWN}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hmm ok. is it good for dry hair?", (False, ("dry", "hair"))),
        ("are these sulphate free", (True, ("sulphate", "free"))),
        ("does the second one have SPF?", (False, ("spf",))),
        ("will they work for kids", (True, ("kids",))),
        ("is this the cheapest?", None),  # price: a refinement's business
        ("does it come in a 500 ml pack", None),
        ("is it available in blue", None),
        ("show me hair oil", None),
        ("can i add it to my cart", None),
    ],
)
def test_which_messages_are_questions_about_what_is_shown(text, expected) -> None:
    assert question_terms(text) == expected


def ask(text: str, monkeypatch, selected: list[str] | None = None) -> list[dict]:
    monkeypatch.setattr(questions, "shown_products", lambda tracker: SHOWN)
    monkeypatch.setattr(questions, "products_by_id", lambda ids: [BY_ID[i] for i in ids or []])
    slots = {"product": "hair oil", "shown_products": list(BY_ID), "selected_products": selected}
    latest = {"text": text, "intent": {"name": "search_products"}, "entities": []}
    tracker = Tracker("web-1", slots, latest, [], False, None, None, "action_listen")
    dispatcher = CollectingDispatcher()
    events = answer_question(dispatcher, tracker)
    assert events is not None
    return dispatcher.messages + [{"events": events}]


def test_the_products_that_say_so_are_quoted_and_singled_out(monkeypatch) -> None:
    reply, cards, done = ask("are these good for dry hair?", monkeypatch)
    assert reply["text"].startswith("2 of these 3 mention dry hair")
    assert "Nourishes dry and frizzy hair" in reply["text"] and "Almond" not in reply["text"]
    assert [p["id"] for p in cards["custom"]["products"]] == ["b", "c"]
    assert done["events"][0]["value"] == ["b", "c"]  # "add it" now means these


def test_one_product_that_does_not_say_so_gets_an_honest_answer(monkeypatch) -> None:
    reply, done = ask("is the first one good for dry hair?", monkeypatch)
    assert "details I have for Almond Hair Oil don't mention dry hair" in reply["text"]
    assert "can't promise" in reply["text"]
    assert reply["buttons"][0]["payload"] == "show me hair oil for dry hair"
    assert done["events"] == []


def test_it_means_the_product_singled_out(monkeypatch) -> None:
    reply, _cards, _done = ask("does it nourish?", monkeypatch, selected=["b"])
    assert reply["text"].startswith("Its description mentions nourish")


def test_nothing_on_screen_is_not_a_question_about_it() -> None:
    latest = {"text": "is it good for dry hair?", "intent": {"name": "search_products"}}
    tracker = Tracker("web-1", {}, latest, [], False, None, None, "action_listen")
    assert answer_question(CollectingDispatcher(), tracker) is None
