"""How a reaction to the products shown changes the next search."""

import pytest
from rasa_sdk import Tracker

from actions.constraints import Constraints
from actions.sentiment_adjustment import Adjustment, adjust, by_brand_preference, is_complaint
from retrieval.schema import Product, SearchHit

SHOWN = [
    Product(id="a", title="Rose Shampoo", brand="Dove", price=300.0, colour="pink"),
    Product(id="b", title="Mint Shampoo", brand="Dove", price=200.0),
    Product(id="c", title="Herbal Shampoo", brand="Himalaya", price=100.0),
]


def sentiment(label: str, p: float) -> dict:
    rest = (1 - p) / 2
    probabilities = {name: rest for name in ("negative", "neutral", "positive")} | {label: p}
    return {"label": label, "score": p, "probabilities": probabilities}


def user(text: str, reaction: dict | None = None, intent: str = "refine_search") -> dict:
    return {"text": text, "intent": {"name": intent}, "sentiment": reaction or {}}


def tracker(*messages: dict) -> Tracker:
    events = [{"event": "user", "text": m["text"], "parse_data": m} for m in messages]
    return Tracker("web-1", {}, messages[-1], events, False, None, None, "action_listen")


def test_a_price_complaint_excludes_shown_lowers_the_band_and_demotes_brands() -> None:
    negative = user("these are all ugly and way too expensive", sentiment("negative", 0.9))
    adjustment = adjust(tracker(user("show me shampoo"), negative), SHOWN)
    assert adjustment.exclude_ids == ("a", "b", "c")
    assert adjustment.avoid_brands == ("Dove", "Himalaya")
    assert adjustment.max_price is not None and adjustment.max_price < 200
    assert not adjustment.offer_human
    constrained = adjustment.constrain(Constraints(product="shampoo", colour="pink"))
    assert constrained.max_price == adjustment.max_price and constrained.colour is None


def test_a_second_negative_reaction_offers_a_person() -> None:
    negative = user("these are all ugly and way too expensive", sentiment("negative", 0.9))
    assert adjust(tracker(user("show me shampoo"), negative, negative), SHOWN).offer_human


def test_complaint_words_count_even_without_a_sentiment_model() -> None:
    adjustment = adjust(tracker(user("these are hideous")), SHOWN)
    assert adjustment.exclude_ids and adjustment.max_price is None


def test_the_complain_intent_counts_even_without_a_sentiment_model() -> None:
    adjustment = adjust(tracker(user("wonderful, the same thing again", intent="complain")), SHOWN)
    assert adjustment.exclude_ids and adjustment.max_price is None
    assert adjustment.intro.startswith("Sorry")


@pytest.mark.parametrize(
    ("text", "reading", "complaint"),
    [
        ("I'd like something in grey to go with my shoes", "neutral", False),
        ("can you find me some nice shirts in extra small?", "neutral", False),
        ("can you find me anything that isn't useless", "neutral", True),  # complaint words
        ("could you stop showing me the same list", "negative", True),  # clearly negative
        ("fantastic, you showed me the identical list", "neutral", True),  # asks for nothing
    ],
)
def test_the_complain_intent_on_a_plain_request_is_the_request(text, reading, complaint) -> None:
    parse = user(text, sentiment(reading, 0.9), intent="complain")
    assert is_complaint(parse) is complaint


@pytest.mark.parametrize(
    "text", ["only Dove", "not Dove", "another brand", "cheaper", "in a bigger size", "under 150"]
)
def test_refinement_words_never_count_as_a_complaint(text: str) -> None:
    # Even when the sentiment model reads the refinement as clearly negative.
    parse = user(text, sentiment("negative", 0.95))
    assert not is_complaint(parse)
    assert adjust(tracker(parse), SHOWN) == Adjustment()


def test_negative_sentiment_counts_only_with_a_margin() -> None:
    close = {
        "label": "negative",
        "probabilities": {"negative": 0.45, "neutral": 0.4, "positive": 0.15},
    }
    assert not is_complaint(user("wonderful, again", close, intent="greet"))
    assert is_complaint(user("wonderful, again", sentiment("negative", 0.9), intent="greet"))


def test_a_positive_reaction_leans_in_and_neutral_changes_nothing() -> None:
    liked = adjust(tracker(user("love these, more please", sentiment("positive", 0.9))), SHOWN)
    assert liked.prefer_brands == ("Dove", "Himalaya") and not liked.exclude_ids
    assert adjust(tracker(user("in blue", sentiment("neutral", 0.9))), SHOWN).search_options() == {
        "exclude_ids": (),
        "avoid_brands": (),
        "prefer_brands": (),
    }


def test_brand_preference_keeps_the_order_within_groups() -> None:
    hits = [
        SearchHit(product=Product(id=str(i), title="x", brand=brand), score=1.0)
        for i, brand in enumerate(["Dove", "Nivea", "Dove", "Himalaya"])
    ]
    ranked = by_brand_preference(hits, prefer=("himalaya",), avoid=("dove",))
    assert [h.product.id for h in ranked] == ["3", "1", "0", "2"]
