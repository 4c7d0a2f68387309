"""How the shopper's reaction to the products just shown changes the next suggestions.

Only dissatisfaction the shopper expresses counts: the ``complain`` intent, complaint words, or
(outside a shopping request) the calibrated sentiment Rasa's NLU component put on the message
(``latest_message["sentiment"]``) when it leads by a margin. Refinement words ("only",
"not", "another", "cheaper", "bigger", "under") never count. After a complaint the next search
leaves out what was shown and moves away from what was disliked: its brands go last, its colour
is dropped, and when the complaint is about price the price band moves below the median shown.
From the second complaint on, the shopper is also offered a person. After clear praise the shown
brands come first. Brands are demoted rather than excluded, so a small catalogue still answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from rasa_sdk import Tracker

from actions.constraints import INSIDE, Constraints
from retrieval.schema import Product, SearchHit
from support.flagging import COMPLAINT

# A reaction counts only when the calibrated probability of its label leads every other label
# by this margin: "not Dove" at 0.45 negative / 0.40 neutral is a refinement, not a complaint.
MARGIN = 0.4
COMPLAIN_INTENT = "complain"
# Intents of plain shopping requests: their negative-looking words ("only", "not", "another",
# "cheaper", "under") are refinements, so there only complaint words count.
REQUEST_INTENTS = frozenset(
    {"search_products", "refine_search", "similar_products", "product_details", "add_to_cart",
     "remove_from_cart", "compare_products", "view_cart", "checkout"}
)  # fmt: skip
PRICE = re.compile(
    r"\b(?:expensive|pricey|costly|overpriced|rip[- ]?off|price[sd]?|budget)\b", re.I
)
# A message that asks for something ("I'd like a white sofa chair", "can you find me shirts in
# extra small"): the classifier sometimes calls such a request a complaint; without complaint
# words or a clearly negative reading it is the request it says it is.
ASKS = re.compile(
    r"\b(?:i'?d like|i would like|i want|i need|i'?m (?:looking|interested|trying|hoping)|"
    r"i am (?:looking|interested|trying|hoping)|can you|could you|would you|do you have|"
    r"have you got|show me|find me|looking for|interested in|suggest|recommend|tell me|"
    r"give me|i'?ll (?:take|get|have)|add|need|how about|is there|are there|you could|"
    r"happen to have|which (?:of|one)|i (?:like|mean))\b",
    re.I,
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


def _lead(parse: dict[str, Any], label: str) -> float:
    """How far the calibrated probability of ``label`` leads the most probable other label."""
    probabilities = (parse.get("sentiment") or {}).get("probabilities") or {}
    if label not in probabilities:
        return 0.0
    others = [p for name, p in probabilities.items() if name != label]
    return probabilities[label] - max(others, default=0.0)


def is_complaint(parse: dict[str, Any]) -> bool:
    """Whether the shopper expresses dissatisfaction: complaint words ("ugly", "too expensive",
    "useless"), the ``complain`` intent unless the message plainly asks for something (``ASKS``)
    and reads neutral, or, outside a shopping request, a clearly negative calibrated sentiment
    (leading by ``MARGIN``). Refinement words alone never count."""
    intent = (parse.get("intent") or {}).get("name")
    text = parse.get("text") or ""
    if COMPLAINT.search(text):
        return True
    negative = _lead(parse, "negative") >= MARGIN
    if intent == COMPLAIN_INTENT:  # unless it plainly asks for something and reads neutral
        return negative or not ASKS.search(text)
    return intent not in REQUEST_INTENTS and negative


def is_praise(parse: dict[str, Any]) -> bool:
    """Whether the shopper clearly likes what was shown (positive leading by ``MARGIN``)."""
    return _lead(parse, "positive") >= MARGIN and not is_complaint(parse)


def complaints(tracker: Tracker) -> int:
    """How many of the shopper's messages so far were complaints."""
    return sum(
        is_complaint(event.get("parse_data") or {})
        for event in tracker.events
        if event.get("event") == "user"
    )


def adjust(tracker: Tracker, shown: list[Product]) -> Adjustment:
    """The adjustment the latest message's reaction to ``shown`` calls for."""
    parse = dict(tracker.latest_message or {})
    parse.setdefault("text", "")
    if not shown:
        return Adjustment()
    if is_praise(parse):
        return Adjustment(prefer_brands=tuple(dict.fromkeys(p.brand for p in shown if p.brand)))
    if not is_complaint(parse):
        return Adjustment()
    text = parse["text"]
    prices = [p.price for p in shown if p.price is not None]
    about_price = bool(PRICE.search(text))
    about_looks = bool(LOOKS.search(text)) or not about_price
    brands = tuple(dict.fromkeys(p.brand for p in shown if p.brand))
    return Adjustment(
        exclude_ids=tuple(p.id for p in shown),
        avoid_brands=brands if about_looks else (),
        max_price=float(median(prices)) - INSIDE if about_price and prices else None,
        drop_colour=about_looks,
        offer_human=complaints(tracker) >= 2,
        intro=(
            "Sorry, those cost more than you wanted. Here"
            if about_price
            else "Sorry you didn't like those. Here"
            if LOOKS.search(text)
            else "Sorry, those weren't right. Here"
        ),
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
