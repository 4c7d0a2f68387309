"""``action_search_products``: find products for what the shopper asked and show them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.rendering import format_price, product_list_payload
from actions.shopping_query import ShoppingQuery, parse_shopping_query
from aisle.settings import get_settings
from retrieval.schema import Filters, SearchHit

if TYPE_CHECKING:
    from retrieval.search import HybridSearcher

logger = logging.getLogger(__name__)

NEXT_STEPS = [
    {"title": "Cheaper options", "payload": "show me something cheaper"},
    {"title": "Start a new search", "payload": "hi"},
]


def describe(query: ShoppingQuery, brand: str | None) -> str:
    """A short human description of the search, e.g. ``Amul butter under ₹200``."""
    words = " ".join(part for part in (brand, query.text) if part) or "products"
    if query.min_price is not None and query.max_price is not None:
        words += f" between {format_price(query.min_price)} and {format_price(query.max_price)}"
    elif query.max_price is not None:
        words += f" under {format_price(query.max_price)}"
    elif query.min_price is not None:
        words += f" over {format_price(query.min_price)}"
    return words


class ActionSearchProducts(Action):
    """Retrieve candidates with exact filters and reply with product cards."""

    def name(self) -> str:
        return "action_search_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from retrieval.search import get_searcher  # heavy: load on first use, not at import

        message = tracker.latest_message.get("text") or ""
        product = next(tracker.get_latest_entity_values("product"), None)
        brand_entity = next(tracker.get_latest_entity_values("brand"), None)
        query = parse_shopping_query(message, product)
        if query.invalid_price:
            dispatcher.utter_message(
                text="Prices can't be negative. What budget did you have in mind? "
                'For example "under 300".'
            )
            return []
        try:
            hits, brand = self._search(get_searcher(), query, brand_entity)
        except Exception:
            logger.exception("search failed for %r", message)
            dispatcher.utter_message(
                text="Sorry, I can't reach the product catalogue right now. "
                "Please try again in a moment."
            )
            return []
        wanted = describe(query, brand or brand_entity)
        if not hits:
            dispatcher.utter_message(
                text=f"I couldn't find any {wanted}. "
                "Try another product, brand or a higher budget.",
                buttons=[{"title": "Show me snacks", "payload": "show me snacks"}],
            )
            return [SlotSet("shown_products", [])]
        dispatcher.utter_message(
            text=f"Here {'is' if len(hits) == 1 else 'are'} {len(hits)} for {wanted}:"
        )
        dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
        return [SlotSet("shown_products", [hit.product.id for hit in hits])]

    @staticmethod
    def _search(
        searcher: HybridSearcher, query: ShoppingQuery, brand: str | None
    ) -> tuple[list[SearchHit], str | None]:
        """Search with the brand as an exact filter; if the catalogue has no such brand
        (the shopper's spelling differs, e.g. "Loreal" for "Loreal Paris"), search for it
        as words instead."""
        k = get_settings().search_results
        bounds = {"min_price": query.min_price, "max_price": query.max_price}
        if brand:
            hits = searcher.search(query.text, Filters(brands=(brand,), **bounds), k=k)
            if hits:
                return hits, hits[0].product.brand
        text = f"{brand} {query.text}" if brand else query.text
        return searcher.search(text, Filters(**bounds), k=k), None
