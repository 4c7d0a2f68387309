"""A yes/no question about products on screen ("is it good for dry hair?", "are these
sulphate free?") answered from what the catalogue says about them.

The answer is the products whose title or description mention what was asked, quoted, or an
honest "the catalogue doesn't say" with a search for it one tap away. Never a guess: a shop
assistant that says "yes" to "is it vegan?" without knowing has made a promise it cannot keep.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.details import NEXT_STEPS
from actions.references import COLOURS, resolve
from actions.rendering import product_list_payload
from actions.selection import products_by_id, remember_selection, shown_products
from retrieval.schema import Product, SearchHit
from retrieval.text import words

# "is it good for dry hair?", "ok. does the second one have SPF", "will these work for kids?"
QUESTION = re.compile(
    r"(?:^|[.!?,;]\s*|\b(?:so|ok|okay|and|but|hmm+)\s+)"
    r"(?:is|are|does|do|will|would|can|could)\s+"
    r"(?P<subject>it|this|that|they|these|those|them|the\s+\w+(?:\s+one)?)(?:\s+ones?)?\s+"
    r"(?P<about>[^.!?]+)",
    re.I,
)
# Questions about price, size, colour or stock are refinements or details, answered elsewhere.
_ELSEWHERE = re.compile(
    rf"\b(?:cheap\w*|pric\w*|cost\w*|expensive|dear|rat(?:ed|ing)s?|stock|available|"
    rf"deliver\w*|sizes?|bigger|smaller|packs?|colou?rs?|comes?|{'|'.join(COLOURS)}|\d+\w*)\b",
    re.I,
)
_PLURAL = frozenset({"they", "these", "those", "them"})
# Words of the question that are not what it asks about.
_ASKING = frozenset(
    "good nice ok okay fine safe suitable meant made right for with to use used using be have "
    "has contain contains containing any a an the of in on work works really actually also too "
    "my me i you your it its them they one ones enough".split()
)
SNIPPET = 140  # characters of the description quoted around what was asked about


def question_terms(text: str) -> tuple[bool, tuple[str, ...]] | None:
    """(about all shown?, what it asks about: "dry hair") for a yes/no question about shown
    products, or None when the message is not such a question."""
    match = QUESTION.search(text)
    if not match or _ELSEWHERE.search(match.group("about")):
        return None
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", match.group("about").lower())
    terms = tuple(w for w in words if w not in _ASKING)
    return (match.group("subject").lower() in _PLURAL, terms) if terms else None


def mentions(product: Product, terms: tuple[str, ...]) -> str | None:
    """Where the product's title or description mentions every term: the title, else the
    description's sentence that mentions most of them; None when they are not all there."""
    stems = [w for term in terms for w in words(term)]  # the search's plural folding

    def count(text: str) -> int:
        return sum(bool(re.search(rf"\b{re.escape(s)}", text, re.I)) for s in stems)

    if count(f"{product.title} {product.description}") < len(stems):
        return None
    if count(product.title) == len(stems):
        return product.title
    best = max(re.split(r"(?<=[.!?])\s+", product.description), key=count)
    return best if len(best) <= SNIPPET else f"{best[:SNIPPET].rsplit(' ', 1)[0]}…"


def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """Answer a yes/no question about the shown (or pointed-at) products from the catalogue;
    None when the latest message is not one or nothing is on screen."""
    text = tracker.latest_message.get("text") or ""
    question = question_terms(text)
    if not question:  # most turns: no catalogue read
        return None
    shown = shown_products(tracker)
    if not shown:
        return None
    all_shown, terms = question
    asked = " ".join(terms)
    products = list(resolve(text, shown).products) or (
        shown if all_shown else products_by_id(tracker.get_slot("selected_products")) or shown
    )
    said = [(p, quote) for p in products if (quote := mentions(p, terms))]
    search = tracker.get_slot("product") or "products"
    look = [{"title": f"Show {search} for {asked}", "payload": f"show me {search} for {asked}"}]
    if not said:
        which = f"these {len(products)}" if len(products) > 1 else products[0].title
        dispatcher.utter_message(
            text=f"The product details I have for {which} don't mention {asked}, so I can't "
            f"promise that. Shall I look for {search} for {asked}?",
            buttons=look,
        )
        return []
    intro = (
        f"Its description mentions {asked}:"
        if len(products) == 1
        else f"{len(said)} of these {len(products)} mention {asked}:"
    )
    lines = [f"- {p.title}: “{quote}”" for p, quote in said]
    dispatcher.utter_message(text="\n".join([intro, *lines]))
    hits = [SearchHit(product=p, score=0.0) for p, _ in said]
    dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
    return remember_selection([p for p, _ in said])
