"""``action_search_products``: a new search (earlier constraints reset), and the search-and-show
step that refinements and "more like this" share."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints, products_named
from actions.rendering import format_price, product_list_payload
from actions.sentiment_adjustment import by_brand_preference
from core.settings import get_settings
from retrieval.schema import Filters, SearchHit
from search.relevance import (
    ProductQuery,
    parse_product_query,
    relevant,
    satisfied,
    spelled,
    vocabulary,
)

if TYPE_CHECKING:
    from retrieval.search import HybridSearcher

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
FLOOR_DEPTH = 40  # candidates searched so that the relevance floor still leaves enough to show
DEEP_DEPTH = 300  # lexical candidates added when the first 40 lack the kind, size or modifier


@dataclass(frozen=True)
class Found:
    """What a search found: the hits to show (all of them relevant, possibly fewer than a page),
    the constraints with the brand as the catalogue spells it, and how the request was read."""

    hits: list[SearchHit]
    constraints: Constraints
    query: ProductQuery
    departments: tuple[str, ...] = ()  # the catalogue's top-level categories, largest first
    nearby: tuple[str, ...] = ()  # categories of near alternatives, when nothing qualified


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
) -> Found:
    """Products for these constraints that are the kind of thing asked for (the relevance floor,
    ``search/relevance.py``), at most a page. A brand named in the product words ("tata salt")
    becomes the brand filter; a brand the catalogue does not know is searched for as words.
    ``prefer_brands`` come first and ``avoid_brands`` last (the shopper's reactions). A shopper
    with a profile gets the hits re-ranked for them (profiles/), with reasons. With a
    ``category`` (more like a shown product) the category filter replaces the floor."""
    from retrieval.search import get_searcher  # heavy: load on first use, not at import

    searcher = get_searcher()
    resolved = searcher.resolve_brand(constraints.brand) if constraints.brand else None
    readings: list[tuple[str | None, str | None]] = [(resolved, None)]
    if not constraints.brand and constraints.product:
        brand, rest = searcher.split_brand(constraints.product)
        if brand:  # "tata salt": brand Tata and salt, or salt of the brand "Tata Salt"
            readings.insert(0, (brand, rest))
    for brand, product in readings:
        reading = replace(constraints, product=product) if product else constraints
        found = _floored(
            searcher,
            reading,
            brand,
            category=category,
            exclude_ids=exclude_ids,
            shopper_id=shopper_id,
        )
        if found.hits:
            break
    hits = found.hits
    excluded = {b.casefold() for b in exclude_brands}
    hits = [h for h in hits if h.product.brand.casefold() not in excluded]
    if found.constraints.colour:
        colour = found.constraints.colour.casefold()
        hits.sort(key=lambda h: colour not in f"{h.product.title} {h.product.colour}".casefold())
    k = get_settings().search_results
    if cheap:
        hits = sorted(hits[: k * 2], key=lambda h: h.product.price or 0.0)
    hits = by_brand_preference(hits, prefer_brands, avoid_brands)
    return replace(found, hits=hits[:k])


def _floored(
    searcher: HybridSearcher,
    constraints: Constraints,
    brand: str | None,
    *,
    category: str | None,
    exclude_ids: tuple[str, ...],
    shopper_id: str | None,
) -> Found:
    """The relevant products among the search pipeline's first :data:`FLOOR_DEPTH`, in its
    order; when none, the head product's own words searched alone (lexical side)."""
    from search import search_products

    vocab = vocabulary(searcher.products())
    query = spelled(parse_product_query(constraints.product or ""), vocab)
    if category:
        query = replace(query, head=(), excluded=())
    text = replace(constraints, product=query.text or None).search_text()
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
    constraints = replace(constraints, brand=brand or constraints.brand)
    retrieved = search_products(searcher, text, filters, k=FLOOR_DEPTH, shopper_id=shopper_id)
    hits = relevant(query, retrieved, vocab)
    if query.head and not satisfied(query, hits):
        # the words alone, deeper, may find what the whole phrase missed: a product that is
        # plainly the kind asked for, of the asked size, with the modifiers
        seen = {hit.product.id for hit in retrieved}
        words = f"{query.text} {query.quantity or ''}"
        deeper = [p for p in searcher.lexical(words, filters, DEEP_DEPTH) if p.id not in seen]
        more = relevant(
            query, [*retrieved, *(SearchHit(product=p, score=0.0) for p in deeper)], vocab
        )
        if satisfied(query, more) or not hits:
            hits = more
    nearby = () if hits else tuple(dict.fromkeys(h.product.category[-1] for h in retrieved[:5]))
    return Found(hits, constraints, query, vocab.departments, nearby)


def not_found_reply(found: Found, cheap: bool) -> tuple[str, list[dict[str, str]]]:
    """What to say when nothing qualifies: the cheapest one was already shown (a "cheaper"
    refinement ran out), the shop does not sell it, or nothing fits the other constraints."""
    constraints = found.constraints
    if cheap and constraints.max_price is not None:
        return (
            f"That was already the cheapest {constraints.product or 'one'} I have: nothing "
            f"else under {format_price(constraints.max_price + 0.01)}.",
            NO_RESULTS_STEPS[:1],
        )
    narrowed = constraints.min_price is not None or constraints.max_price is not None
    if found.query.head and not (narrowed or constraints.brand or constraints.min_rating):
        sells = ", ".join(d.casefold() for d in found.departments[:4])
        text = f"I couldn't find {constraints.product or 'that'} — we sell {sells}."
        if found.nearby:
            text += f" The nearest things I have are in {' and '.join(found.nearby[:2])}."
        steps = [{"title": c, "payload": f"show me {c.casefold()}"} for c in found.nearby[:2]]
        return text, steps or NO_RESULTS_STEPS[1:]
    return (
        f"I couldn't find any {constraints.describe()}. Try another product or brand, "
        "or a different budget.",
        NO_RESULTS_STEPS,
    )


def present(
    dispatcher: CollectingDispatcher, constraints: Constraints, intro: str = "", **search: Any
) -> list[dict[str, Any]]:
    """Search, show the products as cards with next steps, and remember what was shown. When
    nothing qualifies, say why; after an exhausted "cheaper" the shown products stay."""
    try:
        found = find(constraints, **search)
    except Exception:
        logger.exception("search failed for %s", constraints)
        dispatcher.utter_message(
            text="Sorry, I can't reach the product catalogue right now. "
            "Please try again in a moment."
        )
        return []
    hits, constraints = found.hits, found.constraints
    if not hits:
        text, buttons = not_found_reply(found, bool(search.get("cheap")))
        dispatcher.utter_message(text=text, buttons=buttons)
        if search.get("cheap") and constraints.max_price is not None:
            return []  # the cheapest products are still the ones on screen
        events = [*constraints.slot_events(), SlotSet("selected_products", None)]
        return [*events, SlotSet("shown_products", [])]
    events = [*constraints.slot_events(), SlotSet("selected_products", None)]
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
        named = products_named(tracker)
        others = named[1:]
        if others:  # "soap and atta": one search at a time, the next one a tap away
            constraints = replace(constraints, product=named[0])
        events = present(
            dispatcher, constraints, shopper_id=tracker.sender_id, **constraints.search_options()
        )
        if others:
            dispatcher.utter_message(
                text=f"You also asked for {' and '.join(others)}. Shall I show those next?",
                buttons=[{"title": f"Show {p}", "payload": f"show me {p}"} for p in others],
            )
        return events
