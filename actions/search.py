"""``action_search_products``: a new search (earlier constraints reset), and the search-and-show
step that refinements and "more like this" share."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, replace
from statistics import median
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints, bound_text, pack_amount, products_named
from actions.questions import answer_question
from actions.rendering import product_list_payload
from actions.selection import NOTHING_SHOWN, POINTED_AT, SEARCH_BUTTONS
from actions.sentiment_adjustment import by_brand_preference
from actions.shopping_query import CHEAPER_HALF, PRICE_ASC, PRICE_DESC, is_filler
from core.settings import get_settings
from retrieval.schema import Filters, SearchHit
from retrieval.text import words as words_of
from search.relevance import (
    ProductQuery,
    described,
    fit,
    in_title,
    is_combo,
    names_a_product,
    names_only_a_brand,
    parse_product_query,
    relevant,
    satisfied,
    sized_part,
    spelled,
    title_misses,
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
    closest_size: bool = False  # too few packs of the size asked for: the closest come first
    sold: bool = True  # False: nothing of the kind at any price either


CATALOGUE_UNAVAILABLE = (
    "Sorry, I can't reach the product catalogue right now. Please try again in a moment."
)


class CatalogueEmpty(RuntimeError):
    """The product store holds no products (deleted, or not ingested yet)."""


def find(
    constraints: Constraints,
    *,
    exclude_ids: tuple[str, ...] = (),
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
    ``category`` (more like a shown product) the category filter replaces the floor. The
    constraints' brand exclusions and price order always apply."""
    from retrieval.search import get_searcher  # heavy: load on first use, not at import

    searcher = get_searcher()
    products = searcher.products()
    if not products:  # deleted or emptied under the running stack: never "not found"
        raise CatalogueEmpty(searcher.store.location)
    resolved = searcher.resolve_brand(constraints.brand) if constraints.brand else None
    readings: list[tuple[str | None, str | None]] = [(resolved, None)]
    if not constraints.brand and constraints.product:
        whole = searcher.resolve_brand(constraints.product)
        brand, rest = searcher.split_brand(constraints.product)
        named = bool(brand) and names_a_product(rest)  # "cadbury dairy milk": Cadbury's
        if whole and not named and names_only_a_brand(constraints.product, vocabulary(products)):
            readings.insert(0, (whole, None))  # "tata tea premium", not Tata Tea's other lines
        elif brand:  # "tata salt": brand Tata and salt, or salt of the brand "Tata Salt"
            # "bournvita for kids": the brand's own product (its name in the title) first
            readings.insert(0, (brand, rest if named else None))
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
    excluded = {b.casefold() for b in constraints.exclude_brands}
    hits = [h for h in hits if h.product.brand.casefold() not in excluded]
    if found.constraints.colour:
        colour = found.constraints.colour.casefold()
        hits.sort(key=lambda h: colour not in f"{h.product.title} {h.product.colour}".casefold())
    bounded = constraints.min_price is not None or constraints.max_price is not None
    if not hits and bounded and not category:  # none in the budget: none at all, either?
        unbounded = replace(constraints, min_price=None, max_price=None)
        found = replace(found, sold=bool(find(unbounded, exclude_ids=exclude_ids).hits))
    k = get_settings().search_results
    hits, closest = by_pack_size(hits, found.constraints)
    hits = in_price_order(hits, constraints.sort)
    hits = by_brand_preference(hits, prefer_brands, avoid_brands)
    return replace(found, hits=hits[:k], closest_size=closest)


EXACT_SIZES = 3  # packs of exactly the size asked for that make it a filter, not an order


def by_pack_size(hits: list[SearchHit], constraints: Constraints) -> tuple[list[SearchHit], bool]:
    """``hits`` for the pack size asked for (sizes read from titles): bigger or smaller than
    ``size`` with a ``pack`` direction (bigger / smaller first without a size); otherwise
    exactly ``size`` when at least :data:`EXACT_SIZES` products are, else the closest sizes
    first (True: the heading must say "closest"). Letter sizes (S, M, L) are left to ranking."""
    target = pack_amount(constraints.size or "")
    head = tuple(words_of(constraints.product or ""))  # a combo's size is its part's, named
    amount = {
        h.product.id: pack_amount(f"{sized_part(head, h.product)} {h.product.size}") for h in hits
    }
    if target is None:
        if constraints.pack and not constraints.size:
            grams = {i: a[0] for i, a in amount.items() if a}
            sized = sorted(
                (h for h in hits if h.product.id in grams),
                key=lambda h: grams[h.product.id],
                reverse=constraints.pack == "bigger",
            )
            return sized + [h for h in hits if h.product.id not in grams], not sized
        return hits, False
    value, base = target
    comparable = {i: a[0] for i, a in amount.items() if a and a[1] == base}
    if constraints.pack == "bigger":
        return [h for h in hits if comparable.get(h.product.id, 0.0) > value], False
    if constraints.pack == "smaller":
        return [h for h in hits if 0.0 < comparable.get(h.product.id, value) < value], False
    exact = [h for h in hits if comparable.get(h.product.id) == value]
    if sum(not is_combo(h.product) for h in exact) >= EXACT_SIZES:  # combos alone: no filter
        return exact, False

    def distance(hit: SearchHit) -> tuple[bool, float]:
        # A combo never comes before a product sold alone ("moong dal 1kg": a 1 kg pack in a
        # three-dal combo is not closer than moong dal whose title gives no size).
        size = comparable.get(hit.product.id)
        return is_combo(hit.product), abs(math.log(size / value)) if size else math.inf

    return sorted(hits, key=distance), len(exact) < len(hits)  # all exact: not "closest"


def in_price_order(hits: list[SearchHit], sort: str | None) -> list[SearchHit]:
    """Relevant ``hits`` in the price order asked for: cheapest or dearest first (over every
    relevant hit, so "the cheapest" is the cheapest of the kind), or the cheaper half (prices up
    to the median) in relevance order; combos after products sold alone, unpriced products last.
    Unchanged without a ``sort``."""
    priced = [h for h in hits if h.product.price is not None]
    unpriced = [h for h in hits if h.product.price is None]
    # A combo is never "the cheapest atta": products sold alone come first.
    if sort == PRICE_ASC:
        return (
            sorted(priced, key=lambda h: (is_combo(h.product), h.product.price or 0.0)) + unpriced
        )
    if sort == PRICE_DESC:
        return (
            sorted(priced, key=lambda h: (is_combo(h.product), -(h.product.price or 0.0)))
            + unpriced
        )
    if sort == CHEAPER_HALF and priced:
        middle = median(h.product.price or 0.0 for h in priced)
        return [h for h in priced if (h.product.price or 0.0) <= middle]
    return hits


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
    # "crocs", "bournvita for kids": the brand filter is what makes a product relevant, and the
    # products naming the brand in their titles (its own line) come first
    brand_words = query.head if brand and set(query.head) <= set(words_of(brand)) else ()
    if brand_words:
        query = replace(query, head=())
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
    if sized := pack_amount(constraints.size or ""):
        # Few titles carry a pack size: look for the ones that do by their words too.
        words = {"g": "kg g gm", "ml": "l ltr litre ml"}[sized[1]] if constraints.pack else ""
        seen = {h.product.id for h in retrieved}
        lexical = searcher.lexical(
            f"{query.text} {words or constraints.size}", filters, FLOOR_DEPTH
        )
        retrieved += [SearchHit(product=p, score=0.0) for p in lexical if p.id not in seen]
    if constraints.sort in (PRICE_ASC, PRICE_DESC) and query.head:
        # "the cheapest face wash" is the cheapest of every face wash, not of the first 40 found;
        # of those further down, only the ones whose title says they are one
        seen = {h.product.id for h in retrieved}
        lexical = searcher.lexical(query.text, filters, DEEP_DEPTH)
        retrieved += [
            SearchHit(product=p, score=0.0)
            for p in lexical
            if p.id not in seen and in_title(query.head, p)
        ]
    hits = relevant(query, retrieved, vocab)
    if brand_words:
        hits.sort(
            key=lambda h: (
                -described(query, h.product),
                is_combo(h.product),
                title_misses(brand_words, h.product),
            )
        )
    if query.head and not satisfied(query, hits):
        # the words alone, deeper, may find what the whole phrase missed: a product that is
        # plainly the kind asked for, of the asked size, with the modifiers
        seen = {hit.product.id for hit in retrieved}
        words = f"{query.text} {query.quantity or ''}"
        deeper = [p for p in searcher.lexical(words, filters, DEEP_DEPTH) if p.id not in seen]
        more = relevant(
            query, [*retrieved, *(SearchHit(product=p, score=0.0) for p in deeper)], vocab
        )
        if fit(query, more) > fit(query, hits):
            hits = more
    nearby = () if hits else tuple(dict.fromkeys(h.product.category[-1] for h in retrieved[:5]))
    return Found(distinct(hits), constraints, query, vocab.departments, nearby)


def distinct(hits: list[SearchHit]) -> list[SearchHit]:
    """The hits without repeated listings: the catalogue lists some products twice under
    different ids (same title, brand and price), and a shopper should see each once."""
    seen: set[tuple[str, str, float | None]] = set()
    kept = []
    for hit in hits:
        key = (
            hit.product.title.casefold().strip(),
            hit.product.brand.casefold(),
            hit.product.price,
        )
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def not_found_reply(found: Found, cheap: bool) -> tuple[str, list[dict[str, str]]]:
    """What to say when nothing qualifies: the cheapest one was already shown (a "cheaper"
    refinement ran out), the shop does not sell it, or nothing fits the other constraints."""
    constraints = found.constraints
    if cheap and constraints.max_price is not None:
        return (
            f"That was already the cheapest {constraints.product or 'one'} I have: nothing "
            f"else under {bound_text(constraints.max_price)}.",
            NO_RESULTS_STEPS[:1],
        )
    narrowed = constraints.min_price is not None or constraints.max_price is not None
    narrowed = narrowed or bool(constraints.pack)  # "smaller than 5 l": not "we don't sell it"
    narrowed = narrowed and found.sold  # "air conditioner under 30000": not sold at any price
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
    except CatalogueEmpty as empty:
        logger.error("the product store %s holds no products", empty)
        dispatcher.utter_message(text=CATALOGUE_UNAVAILABLE)
        return []
    except Exception:
        logger.exception("search failed for %s", constraints)
        dispatcher.utter_message(text=CATALOGUE_UNAVAILABLE)
        return []
    hits, constraints = found.hits, found.constraints
    if not hits:
        cheap = constraints.sort == PRICE_ASC
        text, buttons = not_found_reply(found, cheap)
        dispatcher.utter_message(text=text, buttons=buttons)
        if cheap and constraints.max_price is not None:
            return []  # the cheapest products are still the ones on screen
        events = [*constraints.slot_events(), SlotSet("selected_products", None)]
        return [*events, SlotSet("shown_products", [])]
    events = [*constraints.slot_events(), SlotSet("selected_products", None)]
    count = f"{'is' if len(hits) == 1 else 'are'} {len(hits)}"
    heading = constraints.describe(closest=found.closest_size)
    dispatcher.utter_message(text=f"{intro or 'Here'} {count} for {heading}:")
    dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
    return [*events, SlotSet("shown_products", [hit.product.id for hit in hits])]


_VARIANT_WORDS = frozenset({"one", "ones", "instead", "pack", "packs", "packet", "size", "only"})


def names_only_a_variant(tracker: Tracker, constraints: Constraints) -> bool:
    """Whether a message read as a search names a size or a brand but no product ("5 kg one",
    "only Dove one"): with a search on screen, that is a refinement of it."""
    from actions.refine import ONLY, catalogue_brands, named_brands

    text = tracker.latest_message.get("text") or ""
    brands = [constraints.brand or "", *named_brands(ONLY, text, catalogue_brands([]))]
    brand_words = {w for b in brands for w in b.casefold().split()}
    rest = set((constraints.product or "").casefold().split()) - _VARIANT_WORDS - brand_words
    return not rest and bool(constraints.size or any(brands))


def brand_before_product(tracker: Tracker, constraints: Constraints) -> str | None:
    """A catalogue brand named in the (up to three) words just before the product, when the
    entity model tagged none ("forget it. dove soap")."""
    from actions.refine import catalogue_brands, named_brands

    text = tracker.latest_message.get("text") or ""
    product = (constraints.product or "").split()
    match = product and re.search(rf"((?:[\w&'-]+\s+){{1,3}}){re.escape(product[0])}", text, re.I)
    if not match:
        return None
    words = match.group(1).split()
    # Only the words after the last bit of chat ("ok", "me", "then"), each a real word.
    while any(is_filler(w) or len(w) < 3 for w in words):
        words = words[1:]
    if not words:
        return None
    return next(
        iter(named_brands(re.compile(r"(.+)"), " ".join(words), catalogue_brands([]))), None
    )


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
        if (answered := answer_question(dispatcher, tracker)) is not None:
            return answered  # "is it good for dry hair?" about the products shown
        text = tracker.latest_message.get("text") or ""
        if POINTED_AT.match(text) and not tracker.get_slot("shown_products"):
            dispatcher.utter_message(text=NOTHING_SHOWN, buttons=SEARCH_BUTTONS)
            return []
        if Constraints.from_slots(tracker).product and names_only_a_variant(tracker, constraints):
            from actions.refine import ActionRefineSearch  # refine builds on this module

            return await ActionRefineSearch().run(dispatcher, tracker, domain)
        if not constraints.brand and (brand := brand_before_product(tracker, constraints)):
            constraints = constraints.with_brand(brand)  # "dove soap" with Dove left untagged
        named = products_named(tracker)
        others = named[1:]
        if others:  # "soap and atta": one search at a time, the next one a tap away
            constraints = replace(constraints, product=named[0])
        events = present(dispatcher, constraints, shopper_id=tracker.sender_id)
        if others:
            dispatcher.utter_message(
                text=f"You also asked for {' and '.join(others)}. Shall I show those next?",
                buttons=[{"title": f"Show {p}", "payload": f"show me {p}"} for p in others],
            )
        return events
