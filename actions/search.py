"""``action_search_products``: a new search (earlier constraints reset), and the search-and-show
step that refinements and "more like this" share."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints, products_named
from actions.rendering import product_list_payload
from actions.sentiment_adjustment import by_brand_preference
from core.settings import get_settings
from retrieval.schema import Filters, SearchHit

logger = logging.getLogger(__name__)

NEXT_STEPS = [
    {"title": "Cheaper ones", "payload": "show me cheaper ones"},
    {"title": "More about the first", "payload": "tell me more about the first one"},
    {"title": "Compare the top two", "payload": "compare the first two"},
    {"title": "Add the first to my cart", "payload": "add the first one to my cart"},
]
NO_RESULTS_STEPS = [
    {"title": "Any price", "payload": "any price is fine"},
    {"title": "Show me snacks", "payload": "show me snacks"},
    {"title": "Talk to a person", "payload": "I want to talk to a person"},
]
INVALID_PRICE = (
    "Prices can't be negative, so I can't search with that budget. What would you like to "
    'spend? For example "under 300" or "between 100 and 500".'
)
CANDIDATES_PER_RESULT = 4  # depth searched when results are re-ordered or filtered afterwards


def find(
    constraints: Constraints,
    *,
    cheap: bool = False,
    exclude_ids: tuple[str, ...] = (),
    exclude_brands: tuple[str, ...] = (),
    category: str | None = None,
    prefer_brands: tuple[str, ...] = (),
    avoid_brands: tuple[str, ...] = (),
    shopper_id: str | None = None,
) -> tuple[list[SearchHit], Constraints]:
    """Products for these constraints, and the constraints with the brand as the catalogue
    spells it. A brand the catalogue does not know is searched for as words instead.
    ``prefer_brands`` come first and ``avoid_brands`` last (the shopper's reactions).
    A shopper with a profile gets the hits re-ranked for them (profiles/), with reasons."""
    from retrieval.search import get_searcher  # heavy: load on first use, not at import
    from search import search_products

    searcher = get_searcher()
    k = get_settings().search_results
    brand = searcher.resolve_brand(constraints.brand) if constraints.brand else None
    text = constraints.search_text()
    if constraints.brand and not brand:
        text = f"{constraints.brand} {text}"
    min_price = constraints.min_price
    if min_price is not None and constraints.max_price is not None:
        min_price = min(min_price, constraints.max_price)
    filters = Filters(
        min_price=min_price,
        max_price=constraints.max_price,
        brands=(brand,) if brand else (),
        category=category,
        min_rating=constraints.min_rating,
        exclude_ids=exclude_ids,
    )
    reorder = cheap or exclude_brands or constraints.colour or prefer_brands or avoid_brands
    depth = k * CANDIDATES_PER_RESULT if reorder else k
    hits = search_products(searcher, text, filters, k=depth, shopper_id=shopper_id)
    excluded = {b.casefold() for b in exclude_brands}
    hits = [h for h in hits if h.product.brand.casefold() not in excluded]
    if constraints.colour:
        colour = constraints.colour.casefold()
        hits.sort(key=lambda h: colour not in f"{h.product.title} {h.product.colour}".casefold())
    if cheap:
        hits = sorted(hits[: k * 2], key=lambda h: h.product.price or 0.0)
    hits = by_brand_preference(hits, prefer_brands, avoid_brands)
    return hits[:k], replace(constraints, brand=brand or constraints.brand)


def present(
    dispatcher: CollectingDispatcher, constraints: Constraints, intro: str = "", **search: Any
) -> list[dict[str, Any]]:
    """Search, show the products as cards with next steps, and remember what was shown."""
    try:
        hits, constraints = find(constraints, **search)
    except Exception:
        logger.exception("search failed for %s", constraints)
        dispatcher.utter_message(
            text="Sorry, I can't reach the product catalogue right now. "
            "Please try again in a moment."
        )
        return []
    events = [*constraints.slot_events(), SlotSet("selected_products", None)]
    if not hits:
        dispatcher.utter_message(
            text=f"I couldn't find any {constraints.describe()}. Try another product or brand, "
            "or a different budget.",
            buttons=NO_RESULTS_STEPS,
        )
        return [*events, SlotSet("shown_products", [])]
    count = f"{'is' if len(hits) == 1 else 'are'} {len(hits)}"
    dispatcher.utter_message(text=f"{intro or 'Here'} {count} for {constraints.describe()}:")
    dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
    return [*events, SlotSet("shown_products", [hit.product.id for hit in hits])]


class ActionSearchProducts(Action):
    """A new search: constraints come from this message only."""

    def name(self) -> str:
        return "action_search_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        constraints, query = Constraints.from_message(tracker)
        if query.invalid_price:
            dispatcher.utter_message(text=INVALID_PRICE, buttons=NO_RESULTS_STEPS[1:])
            return []
        first, *others = products_named(tracker) or [None]
        if others:  # "soap and atta": one search at a time, the next one a tap away
            constraints = replace(constraints, product=first)
        events = present(
            dispatcher, constraints, shopper_id=tracker.sender_id, **constraints.search_options()
        )
        if others:
            dispatcher.utter_message(
                text=f"You also asked for {' and '.join(others)}. Shall I show those next?",
                buttons=[{"title": f"Show {p}", "payload": f"show me {p}"} for p in others],
            )
        return events
