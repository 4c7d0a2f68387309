"""How the shopper's reaction to the products just shown changes the next suggestions.

The reaction is the sentiment Rasa's NLU component put on the latest message
(``latest_message["sentiment"]``), or an explicit complaint in its words (so a missing sentiment
model still leaves complaints heard). After a negative reaction the next search leaves out what
was shown and moves away from what was disliked: its brands go last, its colour is dropped, and
when the complaint is about price the price band moves below the median shown. From the second
negative reaction on, the shopper is also offered a person. After a positive reaction the shown
brands come first. Brands are demoted rather than excluded, so a small catalogue still answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from rasa_sdk import Tracker

from actions.constraints import Constraints
from retrieval.schema import Product, SearchHit
from support.flagging import COMPLAINT

NEGATIVE_AT = 0.5  # probability of "negative" that counts as a negative reaction
POSITIVE_AT = 0.6
PRICE = re.compile(
    r"\b(?:expensive|pricey|costly|overpriced|rip[- ]?off|cheaper|price[sd]?|budget)\b", re.I
)
LOOKS = re.compile(r"\b(?:ugly|hideous|look\w*|colou?r\w*|style|design|brand\w*)\b", re.I)
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "I want to talk to a person"}
OFFER_HUMAN = "If you'd rather, a person from our team can help you choose."


@dataclass(frozen=True)
class Adjustment:
    """Changes to the next search; the empty adjustment changes nothing."""

    exclude_ids: tuple[str, ...] = ()
    avoid_brands: tuple[str, ...] = ()
    prefer_brands: tuple[str, ...] = ()
    max_price: float | None = None
    drop_colour: bool = False
    offer_human: bool = False
    intro: str = ""

    def constrain(self, constraints: Constraints) -> Constraints:
        """The constraints with the disliked colour dropped and the price band lowered."""
        if self.drop_colour:
            constraints = replace(constraints, colour=None)
        if self.max_price is not None:
            limit = self.max_price
            if constraints.max_price is not None:
                limit = min(limit, constraints.max_price)
            low = constraints.min_price if (constraints.min_price or 0) < limit else None
            constraints = replace(constraints, max_price=limit, min_price=low)
        if self.avoid_brands and constraints.brand in self.avoid_brands:
            constraints = replace(constraints, brand=None)
        return constraints

    def search_options(self) -> dict[str, Any]:
        """Keyword arguments of ``actions.search.find`` for this adjustment."""
        return {
            "exclude_ids": self.exclude_ids,
            "avoid_brands": self.avoid_brands,
            "prefer_brands": self.prefer_brands,
        }


def is_negative(parse: dict[str, Any]) -> bool:
    """Whether a parsed user message reacts negatively (sentiment or an explicit complaint)."""
    sentiment = parse.get("sentiment") or {}
    probabilities = sentiment.get("probabilities") or {}
    negative = probabilities.get("negative", 1.0 if sentiment.get("label") == "negative" else 0.0)
    return negative >= NEGATIVE_AT or bool(COMPLAINT.search(parse.get("text") or ""))


def is_positive(parse: dict[str, Any]) -> bool:
    sentiment = parse.get("sentiment") or {}
    positive = (sentiment.get("probabilities") or {}).get("positive", 0.0)
    return positive >= POSITIVE_AT and not is_negative(parse)


def negative_reactions(tracker: Tracker) -> int:
    """How many of the shopper's messages so far reacted negatively."""
    return sum(
        is_negative(event.get("parse_data") or {})
        for event in tracker.events
        if event.get("event") == "user"
    )


def adjust(tracker: Tracker, shown: list[Product]) -> Adjustment:
    """The adjustment the latest message's reaction to ``shown`` calls for."""
    parse = dict(tracker.latest_message or {})
    parse.setdefault("text", "")
    if not shown:
        return Adjustment()
    if is_positive(parse):
        return Adjustment(prefer_brands=tuple(dict.fromkeys(p.brand for p in shown if p.brand)))
    if not is_negative(parse):
        return Adjustment()
    text = parse["text"]
    prices = [p.price for p in shown if p.price is not None]
    about_price = bool(PRICE.search(text))
    about_looks = bool(LOOKS.search(text)) or not about_price
    brands = tuple(dict.fromkeys(p.brand for p in shown if p.brand))
    return Adjustment(
        exclude_ids=tuple(p.id for p in shown),
        avoid_brands=brands if about_looks else (),
        max_price=float(median(prices)) - 0.01 if about_price and prices else None,
        drop_colour=about_looks,
        offer_human=negative_reactions(tracker) >= 2,
        intro="Sorry those weren't right. Here",
    )


def by_brand_preference(
    hits: list[SearchHit], prefer: tuple[str, ...] = (), avoid: tuple[str, ...] = ()
) -> list[SearchHit]:
    """Hits with preferred brands first and avoided ones last, otherwise in their order."""
    liked = {b.casefold() for b in prefer}
    disliked = {b.casefold() for b in avoid}

    def rank(hit: SearchHit) -> int:
        brand = hit.product.brand.casefold()
        return 2 if brand in disliked else 0 if brand in liked else 1

    return sorted(hits, key=rank)
