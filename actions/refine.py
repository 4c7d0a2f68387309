"""``action_refine_search``: change the current search ("cheaper", "in blue", "another brand",
"bigger", "under 300", "rated 4+") while keeping every constraint the shopper did not change."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints
from actions.search import INVALID_PRICE, NO_RESULTS_STEPS, present
from actions.selection import shown_products
from actions.sentiment_adjustment import HUMAN_BUTTON, OFFER_HUMAN, adjust
from actions.shopping_query import parse_shopping_query

CHEAPER = re.compile(
    r"\b(?:cheaper|less expensive|lower price[sd]?|cheapest|too (?:expensive|pricey|costly)|"
    r"more affordable|budget|cheap)\b",
    re.I,
)
PRICIER = re.compile(
    r"\b(?:more expensive|pricier|premium|higher[- ]end|fancier|better quality|luxury)\b", re.I
)
OTHER_BRAND = re.compile(r"\b(?:another|other|different|else'?s?|new)\s+brands?\b", re.I)
ANY_BRAND = re.compile(r"\b(?:any|all)\s+brands?\b", re.I)
ANY_PRICE = re.compile(r"\b(?:any|whatever|no)\s+(?:price|budget|limit)\b", re.I)
BIGGER = re.compile(r"\b(?:bigger|larger|large|big|family[- ]size|bulk|more quantity)\b", re.I)
SMALLER = re.compile(r"\b(?:smaller|small|mini|travel[- ]size|less quantity)\b", re.I)


class ActionRefineSearch(Action):
    """Re-run the current search with the shopper's change."""

    def name(self) -> str:
        return "action_refine_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        query = parse_shopping_query(text)
        if query.invalid_price:
            dispatcher.utter_message(text=INVALID_PRICE, buttons=NO_RESULTS_STEPS[1:])
            return []
        constraints = Constraints.from_slots(tracker)
        if not (constraints.product or constraints.brand):
            # Nothing to refine yet: treat the message as a new search.
            constraints, query = Constraints.from_message(tracker)
            return present(dispatcher, constraints, cheap=query.cheap)
        constraints = constraints.updated(query, tracker)
        shown = shown_products(tracker)
        prices = [p.price for p in shown if p.price is not None]
        exclude_brands: tuple[str, ...] = ()
        cheap = False
        if ANY_PRICE.search(text):
            constraints = replace(constraints, min_price=None, max_price=None)
        elif CHEAPER.search(text) and query.max_price is None:
            cheap = True
            if prices:
                constraints = replace(constraints, min_price=None, max_price=min(prices) - 0.01)
        elif PRICIER.search(text) and query.min_price is None and prices:
            constraints = replace(constraints, min_price=max(prices) + 0.01, max_price=None)
        if OTHER_BRAND.search(text):
            exclude_brands = tuple({p.brand for p in shown if p.brand} | {constraints.brand or ""})
            constraints = replace(constraints, brand=None)
        elif ANY_BRAND.search(text):
            constraints = replace(constraints, brand=None)
        if next(tracker.get_latest_entity_values("size"), None) is None:
            if BIGGER.search(text):
                constraints = replace(constraints, size="large pack")
            elif SMALLER.search(text):
                constraints = replace(constraints, size="small pack")
        adjustment = adjust(tracker, shown)
        events = present(
            dispatcher,
            adjustment.constrain(constraints),
            intro=adjustment.intro or "Updated: here",
            cheap=cheap,
            exclude_brands=tuple(b for b in exclude_brands if b),
            **adjustment.search_options(),
        )
        if adjustment.offer_human:
            dispatcher.utter_message(text=OFFER_HUMAN, buttons=[HUMAN_BUTTON])
        return events
