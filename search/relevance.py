"""Is a product the kind of thing the shopper asked for? The relevance floor of search.

A request is split into its *head product* ("shampoo" in "anti dandruff shampoo for men"), the
modifiers after "for"/"with" ("men"), negated words ("without sugar") and a quantity ("500 g").
A product clears the floor when every head word is in its title or category path (compared after
light stemming, through the synonyms below). Head words that the catalogue uses as attributes
(they appear in titles across many top-level categories but never name a category: "organic",
"herbal") may be dropped when no product has them all; a head word the catalogue never uses is
never dropped, so "television" in a grocery shop matches nothing and search says so.

The vocabulary comes from the catalogue itself (:class:`Vocabulary`), never from evaluation
requests.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.schema import Product, SearchHit
from retrieval.text import stem, tokenize, words

# Shopper words -> words the catalogue uses for the same kind of product (stemmed, see `stem`).
# Hinglish grocery words first, then English variants. Written from the catalogues' category
# names, not from any evaluation request.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "chawal": ("rice",),
    "doodh": ("milk",),
    "chini": ("sugar",),
    "cheeni": ("sugar",),
    "namak": ("salt",),
    "tel": ("oil",),
    "sabun": ("soap",),
    "anda": ("egg",),
    "ande": ("egg",),
    "aloo": ("potato",),
    "pyaz": ("onion",),
    "pyaaz": ("onion",),
    "tamatar": ("tomato",),
    "chai": ("tea",),
    "haldi": ("turmeric",),
    "jeera": ("cumin", "jeera"),
    "dahi": ("curd", "dahi"),
    "mirch": ("chilli",),
    "dhaniya": ("coriander",),
    "biskut": ("biscuit",),
    "cookie": ("biscuit", "cookie"),
    "crisp": ("chip", "crisp"),
    "nappy": ("diaper",),
    "nappie": ("diaper",),
    "facewash": ("face wash",),
    "handwash": ("hand wash",),
    "bodywash": ("body wash",),
    "toothpaste": ("toothpaste", "tooth paste"),
    "detergent": ("detergent", "washing"),
    "soda": ("soda", "soft drink"),
    "coke": ("cola",),
    "ketchup": ("ketchup", "sauce"),
    "chilly": ("chilli",),
    "chili": ("chilli",),
    "yoghurt": ("yogurt", "curd"),
    "yogurt": ("yogurt", "curd"),
    "colour": ("color", "colour"),
    "color": ("color", "colour"),
}
_MODIFIER = re.compile(r"\b(?:for|with|from|suitable for|made (?:with|from)|that|which)\b", re.I)
_NEGATION = re.compile(r"\b(?:without|no|not|non|except|minus|avoid)\s+([a-z][\w-]*)", re.I)
_QUANTITY = re.compile(
    r"\b(?:pack of\s*(\d+)|(\d+)\s*(?:pcs|pieces|pack|packs)\b|"
    r"(\d+(?:\.\d+)?)\s*(kg|kgs|g|gm|gms|gram|grams|ml|l|ltr|litre|litres|liter|liters)\b)",
    re.I,
)
_UNITS = {"kg": "kg", "kgs": "kg", "l": "l", "ltr": "l", "litre": "l", "litres": "l"}
_UNITS |= {"liter": "l", "liters": "l", "ml": "ml"}
_NOT_HEAD = frozenset(
    "good best nice great quality top new latest fresh pure original genuine branded brand "
    "small big large medium mini pack packet one two few some all type kind variety "
    "and or a an the my our".split()
)
# Words after a product's name that still describe that product (its form or pack), not another
# product named after it: "Face Wash Gel" is a face wash, "Washing Machine Descaler" is not.
FORM_WORDS = frozenset(
    "gel cream liquid powder spray bar bars pack refill pouch jar bottle sachet combo tin can box "
    "packet carton tub tube stick roll value saver mini jumbo family small medium large big "
    "plus premium classic original regular fresh natural pure new extra super lite light "
    "whole".split()
)
_UNIT_WORDS = frozenset("g gm gms kg ml l ltr pc pcs n x".split())
ATTRIBUTE_SPREAD = 4  # top-level categories a title word must span to count as an attribute


@dataclass(frozen=True)
class ProductQuery:
    """What a request asks for: the head product's words, modifiers, negated words, quantity."""

    head: tuple[str, ...]
    modifiers: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    quantity: str | None = None  # normalised, e.g. "500 g", "5 kg", "pack of 10"
    text: str = ""  # what retrieval searches for: the words without negations and quantity


def parse_product_query(text: str) -> ProductQuery:
    """Split product words (price phrases and chat filler already removed) into head,
    modifiers, negated words and a quantity."""
    quantity = None
    if match := _QUANTITY.search(text):
        count, pieces, amount, unit = match.groups()
        if count or pieces:
            quantity = f"pack of {count or pieces}"
        else:
            quantity = f"{float(amount):g} {_UNITS.get(unit.lower(), unit.lower()[0])}"
        text = text.replace(match.group(0), " ")
    excluded = tuple(stem(t) for m in _NEGATION.finditer(text) for t in tokenize(m.group(1)))
    text = " ".join(_NEGATION.sub(" ", text).split())
    parts = _MODIFIER.split(text, maxsplit=1)
    head_text = parts[0]
    modifier_text = parts[1] if len(parts) > 1 else ""
    extra = [form for w in words(head_text) for form in SYNONYMS.get(w, ()) if form != w]
    text = " ".join(f"{head_text} {modifier_text} {' '.join(extra)}".split())
    head = tuple(w for w in words(head_text) if w not in _NOT_HEAD and not w.isdigit())
    if not head:  # "for kids" alone, or only filler: the modifiers are all there is
        head, modifier_text = tuple(w for w in words(modifier_text) if w not in _NOT_HEAD), ""
    modifiers = tuple(w for w in words(modifier_text) if w not in _NOT_HEAD)
    return ProductQuery(head, modifiers, excluded, quantity, text)


@dataclass(frozen=True)
class Vocabulary:
    """What the catalogue calls things: every stemmed word of its titles and category paths, and
    the attribute words among them (see the module docstring)."""

    known: frozenset[str]
    attributes: frozenset[str]
    departments: tuple[str, ...]  # top-level categories, largest first

    @classmethod
    def of(cls, products: Iterable[Product]) -> Vocabulary:
        known: set[str] = set()
        in_categories: set[str] = set()
        spread: dict[str, set[str]] = defaultdict(set)
        departments: Counter[str] = Counter()
        for product in products:
            top = product.category[0] if product.category else ""
            departments[top] += 1
            title = set(words(f"{product.title} {product.brand}"))
            known |= title
            in_categories.update(words(product.category_path))
            for word in title:
                spread[word].add(top)
        known |= in_categories
        attributes = {
            w for w, tops in spread.items() if len(tops) >= ATTRIBUTE_SPREAD
        } - in_categories
        return cls(
            known=frozenset(known),
            attributes=frozenset(attributes),
            departments=tuple(d for d, _ in departments.most_common() if d),
        )


def _forms(word: str) -> tuple[str, ...]:
    """The catalogue words for a shopper's word: its synonyms (which list the word itself when
    the catalogue uses it too, so "chawal" means rice, not "Dal Chawal"), else the word."""
    return SYNONYMS.get(word, (word,))


def _has(word: str, tokens: set[str], joined: str) -> bool:
    """``word`` (or one of its synonyms, possibly several words) is in the product's words."""
    for form in _forms(word):
        parts = words(form)
        if parts and all(p in tokens for p in parts):
            return True
        if len(form) >= 6 and form.replace(" ", "") in joined:  # "facewash" vs "face wash"
            return True
    return False


def matches(head: Sequence[str], product: Product, vocab: Vocabulary | None = None) -> bool:
    """Every word of ``head`` is in the product's title, brand or category path; and (with the
    ``vocab``) the product is that kind of thing: its category names the last head word, or in
    its title that word ends the name (but for :data:`FORM_WORDS` and sizes): "Washing Machine
    Cleaner" is not a washing machine, "Green Tea Bags" under "Tea Bags" is green tea."""
    tokens = set(words(f"{product.title} {product.brand} {product.category_path}"))
    joined = "".join(words(product.title))
    if not all(_has(word, tokens, joined) for word in head):
        return False
    if vocab is None or not head:
        return True
    last = _forms(head[-1])
    category = set(words(product.category_path))
    if any(set(words(form)) <= category for form in last):
        return True
    ends = {words(form)[-1] for form in last if words(form)}
    for segment in re.split(r"[-,(|/:]", product.title):
        tokens_in = words(segment)
        for position, token in enumerate(tokens_in):
            after = tokens_in[position + 1 :]
            if token in ends and any(
                t not in FORM_WORDS and t not in _UNIT_WORDS and not t[0].isdigit() for t in after
            ):
                return False
    return True


def _excluded(query: ProductQuery, product: Product) -> bool:
    title = product.title.casefold()
    tokens = set(words(product.title))
    return any(
        word in tokens and not re.search(rf"\b{re.escape(word)}\w*[- ](?:free|less)\b", title)
        for word in query.excluded
    )


def required_words(
    query: ProductQuery, hits: Sequence[SearchHit], vocab: Vocabulary
) -> tuple[str, ...]:
    """The head words a product must carry: all of them when some hit has them all, else the
    head without the catalogue's attribute words."""
    if any(matches(query.head, hit.product, vocab) for hit in hits):
        return query.head
    core = tuple(w for w in query.head if w not in vocab.attributes)
    return core or query.head


def relevant(query: ProductQuery, hits: Sequence[SearchHit], vocab: Vocabulary) -> list[SearchHit]:
    """The hits that clear the floor, in their order; products with the asked quantity first."""
    kept = [hit for hit in hits if not _excluded(query, hit.product)]
    if query.head:
        head = required_words(query, kept, vocab)
        kept = [hit for hit in kept if matches(head, hit.product, vocab)]
    if query.quantity:
        size = query.quantity.replace(" ", "").casefold()
        kept.sort(
            key=lambda h: size not in f"{h.product.title}{h.product.size}".replace(" ", "").lower()
        )
    return kept


_vocabularies: dict[int, tuple[list[Product], Vocabulary]] = {}
_lock = threading.Lock()


def vocabulary(products: list[Product]) -> Vocabulary:
    """The vocabulary of this catalogue snapshot (built once per snapshot, ~1 s at 27k)."""
    key = id(products)
    with _lock:
        cached = _vocabularies.get(key)
        if cached is None or cached[0] is not products:
            _vocabularies.clear()
            cached = (products, Vocabulary.of(products))
            _vocabularies[key] = cached
        return cached[1]
