"""``action_refine_search``: change the current search ("cheaper", "in blue", "another brand",
"bigger", "under 300", "rated 4+") while keeping every constraint the shopper did not change."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import (
    INSIDE,
    Constraints,
    brand_mentions,
    pack_amount,
    size_in,
    size_text,
)
from actions.questions import answer_question
from actions.search import INVALID_PRICE, NO_RESULTS_STEPS, present
from actions.selection import shown_products
from actions.sentiment_adjustment import HUMAN_BUTTON, OFFER_HUMAN, Adjustment, adjust
from actions.shopping_query import CHEAPER_HALF, PRICE_ASC, PRICE_DESC, parse_shopping_query
from retrieval.schema import Product

CHEAPER = re.compile(
    r"\b(?:cheaper|less expensive|lower price[sd]?|cheapest|too (?:expensive|pricey|costly)|"
    r"more affordable|budget|cheap|sast[ai]|kam daam|low to high|(?:sort|order)(?:ed)? by price)\b",
    re.I,
)
CHEAPEST = re.compile(
    r"\b(?:cheapest|lowest price[sd]?|least expensive|sabse sast[ai]|low to high|"
    r"(?:sort|order)(?:ed)? by price)\b",
    re.I,
)
PRICIER = re.compile(
    r"\b(?:more expensive|pricier|premium|higher[- ]end|fancier|better quality|luxury|"
    r"most expensive|priciest|dearest|high to low)\b",
    re.I,
)
OTHER_BRAND = re.compile(
    r"\b(?:another|other|different|else'?s?|new|dusr[aie])\s+(?:brands?|companies|company)\b",
    re.I,
)
ANY_BRAND = re.compile(r"\b(?:any|all)\s+brands?\b", re.I)
ANY_PRICE = re.compile(r"\b(?:any|whatever|no)\s+(?:price|budget|limit)\b", re.I)
BIGGER = re.compile(
    r"\b(?:bigger|larger|large|big|family[- ]size|bulk|more quantity|bada|badi)\b", re.I
)
SMALLER = re.compile(
    r"\b(?:smaller|small|mini|travel[- ]size|less quantity|chhota|chota|chhoti)\b", re.I
)


MORE = re.compile(
    r"^\W*(?:(?:show|give)(?: me)? |any |some )?(?:more|other (?:ones|options)|others|"
    r"more (?:options|please|of (?:these|them|this)|like (?:these|this))|next|aur dikhao)\W*$",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:not|no|without|except|anything but|skip|other than)\s+(?:the\s+)?([\w&' -]+)", re.I
)


# Words that ask for something anew rather than change what is shown.
NEW_REQUEST = re.compile(
    r"^\W*(?:(?:can you |could you |please )?show me|do you (?:have|sell)|i (?:want|need)|"
    r"i'?m looking for|looking for|find me|get me)\b",
    re.I,
)
ONLY = re.compile(
    r"\b(?:only|just|sirf|solely)\s+(?:the\s+)?([\w&' -]+)|([\w&' -]+)\s+only\b", re.I
)


def named_brands(
    pattern: re.Pattern[str], text: str, brand_of: Callable[[str], str | None]
) -> tuple[str, ...]:
    """Brands named where ``pattern`` captures ("not dettol", "only himalaya"), for when the
    NLU did not tag them: the longest run of up to three words that ``brand_of`` knows."""
    found = []
    for match in pattern.finditer(text):
        for group in filter(None, match.groups()):
            words = group.split()
            runs = [
                " ".join(words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)
            ]
            found += [brand for run in runs if (brand := brand_of(run))][:1]
    return tuple(dict.fromkeys(found))


def catalogue_brands(shown: list[Product]) -> Callable[[str], str | None]:
    """A brand's spelling among those shown, else in the catalogue (None when unknown)."""
    spelt = {p.brand.casefold(): p.brand for p in shown if p.brand}

    def brand_of(name: str) -> str | None:
        from retrieval.search import get_searcher  # heavy: load on first use, not at import

        return spelt.get(name.casefold()) or get_searcher().resolve_brand(name)

    return brand_of


def refined(
    constraints: Constraints,
    text: str,
    shown: list[Product],
    brand_of: Callable[[str], str | None] | None = None,
) -> Constraints:
    """The constraints with the change ``text`` asks for: price direction and order, brands,
    pack size. The budget, brand and size the shopper names come from ``Constraints.updated``;
    ``brand_of`` (default: the shown brands, then the catalogue's) finds brands the NLU missed."""
    brand_of = brand_of or catalogue_brands(shown)
    prices = [p.price for p in shown if p.price is not None]
    query = parse_shopping_query(text)
    if ANY_PRICE.search(text):
        constraints = replace(constraints, min_price=None, max_price=None, sort=None)
    elif query.sort == CHEAPER_HALF:  # "not too pricey": within any budget already set
        constraints = replace(constraints, sort=CHEAPER_HALF, min_price=None)
    elif CHEAPER.search(text) and query.max_price is None:
        # "cheaper": under everything shown; "the cheapest": the lowest, at most the lowest shown
        step = 0.0 if CHEAPEST.search(text) else INSIDE
        constraints = replace(constraints, sort=PRICE_ASC, min_price=None)
        if prices:
            constraints = replace(constraints, max_price=min(prices) - step)
    elif PRICIER.search(text) or query.sort == PRICE_DESC:
        step = 0.0 if query.sort == PRICE_DESC else INSIDE  # "the most expensive": it stays
        constraints = replace(constraints, sort=PRICE_DESC, max_price=None)
        if prices:
            constraints = replace(constraints, min_price=max(prices) + step)
    shown_brands = tuple(dict.fromkeys(p.brand for p in shown if p.brand))
    if OTHER_BRAND.search(text):
        constraints = constraints.without_brands(
            (*shown_brands, *filter(None, [constraints.brand]))
        )
    elif ANY_BRAND.search(text):
        constraints = replace(constraints, brand=None, exclude_brands=())
    constraints = constraints.without_brands(named_brands(NEGATION, text, brand_of))
    if not constraints.brand and (only := named_brands(ONLY, text, brand_of)):
        constraints = constraints.with_brand(only[0])
    if size_in(text):  # a size named replaces a pack direction
        return replace(constraints, pack=None)
    pack = "bigger" if BIGGER.search(text) else "smaller" if SMALLER.search(text) else None
    if pack is None:
        return constraints
    # Bigger or smaller than the packs shown (by the sizes in their titles), or than the size
    # asked for; a pack request wins over "cheapest first", within any budget.
    amounts = [a for p in shown if (a := pack_amount(f"{p.title} {p.size}"))]
    reference = constraints.size
    # A size the shopper asked for ("basmati rice 1 kg") is what "bigger" is bigger than, even
    # when the closest packs shown are larger; after one step, the packs shown are.
    if amounts and not (constraints.size and not constraints.pack):
        base = amounts[0][1]
        same = [amount for amount, unit in amounts if unit == base]
        reference = size_text(max(same) if pack == "bigger" else min(same), base)
    sort = None if constraints.sort == PRICE_ASC else constraints.sort
    return replace(constraints, pack=pack, size=reference, sort=sort)


REFINE_HINTS = [
    {"title": "Cheaper ones", "payload": "show me something cheaper"},
    {"title": "Another brand", "payload": "another brand"},
    {"title": "More about the first", "payload": "tell me about the first one"},
]


def unchanged_reply(
    text: str, constraints: Constraints, brand_of: Callable[[str], str | None]
) -> str:
    """What to say when a refinement changes nothing of the search."""
    what = constraints.product or "these"
    only = ONLY.search(text)
    if only and (brand := next(iter(named_brands(ONLY, text, brand_of)), None)):
        return f"These are already all {brand}."
    if only and (named := next(filter(None, only.groups())).strip()):
        return (
            f"I couldn't find a brand called \"{named}\" for {what} here, so I've left the "
            'list as it was. You can say "another brand" to see the others.'
        )
    return (
        f"I'm not sure what to change about the {what} shown. You can ask for something "
        'cheaper, a brand ("only <brand>"), a budget ("under ₹200"), or point at one '
        '("the second one").'
    )


class ActionRefineSearch(Action):
    """Re-run the current search with the shopper's change."""

    def name(self) -> str:
        return "action_refine_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if (answered := answer_question(dispatcher, tracker)) is not None:
            return answered  # "are these sulphate free?" asks about them, not for others
        text = tracker.latest_message.get("text") or ""
        query = parse_shopping_query(text)
        if query.invalid_price:
            dispatcher.utter_message(text=INVALID_PRICE, buttons=NO_RESULTS_STEPS[1:])
            return []
        constraints = Constraints.from_slots(tracker)
        if not (constraints.product or constraints.brand):
            # Nothing to refine yet: treat the message as a new search.
            constraints, query = Constraints.from_message(tracker)
            return present(dispatcher, constraints)
        shown = shown_products(tracker)
        previous = constraints
        constraints = refined(constraints.updated(query, tracker), text, shown)
        if constraints == previous and NEW_REQUEST.search(text) and not MORE.match(text):
            # "show me a television" while toothpaste is on screen: not a change to it
            constraints, query = Constraints.from_message(tracker)
            return present(dispatcher, constraints)
        adjustment = adjust(tracker, shown)
        if constraints == previous and adjustment == Adjustment() and not MORE.match(text):
            # Nothing we can act on ("the brown one" when cards list no colours, "only <a brand
            # we don't carry>"): say so rather than show the same list as "Updated".
            dispatcher.utter_message(
                text=unchanged_reply(text, constraints, catalogue_brands(shown)),
                buttons=REFINE_HINTS,
            )
            return []
        options = adjustment.search_options()
        if MORE.match(text) or constraints.pack:  # "more", "bigger": not the same list again
            options["exclude_ids"] = (*options["exclude_ids"], *(p.id for p in shown))
        events = present(
            dispatcher,
            adjustment.constrain(constraints),
            intro=adjustment.intro or "Updated: here",
            **options,
        )
        if adjustment.offer_human:
            dispatcher.utter_message(text=OFFER_HUMAN, buttons=[HUMAN_BUTTON])
        return events


class ActionDenyOrRefine(Action):
    """A "no" that names a brand during a search ("not dettol", "no clinic plus") refines it;
    any other "no" outside a question asks what next."""

    def name(self) -> str:
        return "action_deny_or_refine"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        constraints = Constraints.from_slots(tracker)
        searching = bool(constraints.product or constraints.brand)
        if searching and (
            brand_mentions(tracker)[1]
            or named_brands(NEGATION, text, catalogue_brands(shown_products(tracker)))
        ):
            return await ActionRefineSearch().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_anything_else")
        return []
