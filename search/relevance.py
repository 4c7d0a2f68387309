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
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from core.settings import get_settings
from retrieval import spelling
from retrieval.schema import Product, SearchHit
from retrieval.spelling import Speller
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
    "achaar": ("pickle",),
    "achar": ("pickle",),
    "patti": ("patti", "leaf", "leave", "dust"),  # "chai patti": tea leaves; "samosa patti"
    "jhadu": ("broom",),
    "hoody": ("hoody", "hood", "sweatshirt"),
    "lentil": ("dal", "pulse", "lentil"),
    "wax": ("wax", "waxing"),
    "jhaadu": ("broom",),
    "kaju": ("cashew", "kaju"),
    "badam": ("almond", "badam"),
    "bachon": ("kid",),
    "bacho": ("kid",),
    "bachche": ("kid",),
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
# Shopper phrases -> the phrase the catalogue's titles and categories use for that product.
PHRASES: dict[re.Pattern[str], str] = {
    re.compile(r"\bnail (?:polish|paint|enamel|lacquer)s?\b", re.I): "nail color",
    re.compile(r"\blip ?sticks?\b", re.I): "lipstick",
}
# Words after which a title describes its product, not another one ("Razor for Women").
_TITLE_MODIFIER = frozenset("for with in from by".split())
_MODIFIER = re.compile(r"\b(?:for|with|from|suitable for|made (?:with|from)|that|which)\b", re.I)
_NEGATION = re.compile(r"\b(?:without|no|not|except|minus|avoid)\s+([a-z][\w-]*)", re.I)
_QUANTITY = re.compile(
    r"\b(?:pack of\s*(\d+)|(\d+)\s*(?:pcs|pieces|pack|packs)\b|"
    r"(\d+(?:\.\d+)?)\s*(kg|kgs|kilo|kilos|g|gm|gms|gram|grams|ml|l|lt|ltr|litre|litres|liter|"
    r"liters)\b)",
    re.I,
)
# How a title may write each unit of a normalised quantity ("5 kg": "5kg", "5 Kgs", "5 kilo").
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    "g": ("g", "gm", "gms", "gram", "grams", "gr"),
    "l": ("l", "lt", "ltr", "ltrs", "litre", "litres", "liter", "liters"),
    "ml": ("ml", "mls", "millilitre", "milliliter"),
}
_UNITS = {spelling: unit for unit, spellings in UNIT_SPELLINGS.items() for spelling in spellings}
_NOT_HEAD = frozenset(
    "good best nice great quality top new latest fresh pure original genuine branded brand premium "
    "small big large medium mini pack packet one two few some all type kind variety dozen half "
    "size sized "
    "and or a an the my our".split()
)
# Whom a product is for, as stemmed words: said before or after the product ("men socks",
# "socks men"), it is a modifier, never the product.
GENDERS = frozenset("men man women woman boy girl kid lady gent unisex".split())
# Whom a request is for, said as a person ("deo for my husband"), as stemmed words, and the
# words in a product's title or category that say it is for one of them ("For Women", "Pour
# Homme"): a product for the other one is not what was asked for.
_FOR_MEN = frozenset(
    "men man male gent boy husband boyfriend dad daddy father papa son brother him his".split()
)
_FOR_WOMEN = frozenset(
    "women woman female lady girl wife girlfriend mom mum mummy mother daughter sister her".split()
)
_MEN_PRODUCT = frozenset("men man male gent boy homme".split())
_WOMEN_PRODUCT = frozenset("women woman female lady girl femme".split())
# Colours that describe the product named before them ("shoes black"), but name a kind when
# they come first ("black salt", "green tea").
COLOURS = frozenset(
    "black white red blue green yellow pink purple brown grey gray navy maroon beige khaki".split()
)
# The words of _NOT_HEAD that still say which of the kind is wanted, when a product has them.
_QUALIFIERS = frozenset(
    "fresh premium original pure new latest small big large medium mini".split()
)
# Hinglish chat words around a product ("mujhe basmati chawal chahiye", "doodh ka packet").
_HINGLISH_FILLER = re.compile(
    r"\b(?:mujhe|muje|humein|hume|chahiye|chaiye|chahie|dikhao|dikha|dena|dedo|do|ka|ki|"
    r"wala|wale|wali|koi|kuch|sasta|sasti|saste|accha|achha|acche)\b",
    re.I,
)
# "bachon ke liye diapers": Hinglish puts the modifier first ("diapers for kids").
_HINGLISH_FOR = re.compile(r"^(?P<modifier>.+?)\s+ke\s+liye\s+(?P<head>.+)$", re.I)
# Words after a product's name that still describe that product (its form or pack), not another
# product named after it: "Face Wash Gel" is a face wash, "Washing Machine Descaler" is not.
FORM_WORDS = frozenset(
    "gel cream liquid powder spray bar bars pack refill pouch jar bottle sachet combo tin can box "
    "packet carton tub tube stick roll value saver mini jumbo family small medium large big "
    "plus premium classic original regular fresh natural pure new extra super lite light "
    "whole kit set".split()
)
# Forms that say how a product is packed, not what it is: "Bathing Bars & Soaps" is one kind.
PACKAGING = frozenset(
    "bar pack refill pouch jar bottle sachet combo tin can box packet carton tub tube stick roll "
    "kit set".split()
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
    qualifiers: tuple[str, ...] = ()  # describing words that are no product ("fresh", "big")


def parse_product_query(text: str) -> ProductQuery:
    """Split product words (price phrases and chat filler already removed) into head,
    modifiers, negated words and a quantity."""
    quantity = None
    for phrase, catalogue in PHRASES.items():
        text = phrase.sub(catalogue, text)
    if match := _QUANTITY.search(text):
        count, pieces, amount, unit = match.groups()
        if count or pieces:
            quantity = f"pack of {count or pieces}"
        else:
            quantity = f"{float(amount):g} {_UNITS[unit.lower()]}"
        text = text.replace(match.group(0), " ")
    text = " ".join(_HINGLISH_FILLER.sub(" ", text).split())
    if hinglish := _HINGLISH_FOR.match(text):
        text = f"{hinglish['head']} for {hinglish['modifier']}"
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
    who = tuple(w for w in head if w in GENDERS)
    if who and (rest := tuple(w for w in head if w not in GENDERS)):  # "socks men"
        head, modifiers = rest, (*who, *modifiers)
    while len(head) > 1 and head[-1] in COLOURS:  # "formal shoes black": black ones
        head, modifiers = head[:-1], (head[-1], *modifiers)
    qualifiers = tuple(w for w in words(head_text) if w in _QUALIFIERS)
    return ProductQuery(head, modifiers, excluded, quantity, text, qualifiers)


def names_only_a_brand(text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` (a brand's name, "tata tea premium", "crocs") is more than words of
    the catalogue's categories ("green tea", "honey"), so it asks for the brand, not a kind."""
    return not set(words(text)) <= vocab.categories


def names_a_product(text: str) -> bool:
    """Whether ``text`` names a kind of product before any modifier ("salt", "salt for kids"),
    not only modifiers or filler ("for kids", "wala")."""
    head_text = _MODIFIER.split(_HINGLISH_FILLER.sub(" ", text), maxsplit=1)[0]
    return any(w not in _NOT_HEAD and not w.isdigit() for w in words(head_text))


@dataclass(frozen=True)
class Vocabulary:
    """What the catalogue calls things: every stemmed word of its titles and category paths, and
    the attribute words among them (see the module docstring)."""

    known: frozenset[str]
    attributes: frozenset[str]
    departments: tuple[str, ...]  # top-level categories, largest first
    counts: Counter[str] = field(default_factory=Counter)  # uses of each title word
    categories: frozenset[str] = frozenset()  # every word of the category paths

    @classmethod
    def of(cls, products: Iterable[Product]) -> Vocabulary:
        known: set[str] = set()
        counts: Counter[str] = Counter()
        in_categories: set[str] = set()
        spread: dict[str, set[str]] = defaultdict(set)
        departments: Counter[str] = Counter()
        for product in products:
            top = product.category[0] if product.category else ""
            departments[top] += 1
            title = set(words(f"{product.title} {product.brand}"))
            counts.update(words(product.title))
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
            counts=counts,
            categories=frozenset(in_categories),
        )

    def correct(self, word: str) -> str:
        """``word`` spelt as the catalogue spells it (``retrieval/spelling.py``, the speller
        chat uses too): unchanged when the catalogue, the synonyms or English know it ("car
        tyres" stay tyres), else the commonest catalogue title word with the same first letter
        close enough ("detergant" -> "detergent", "wsh" -> "wash")."""
        speller: Speller | None = self.__dict__.get("_speller")
        if speller is None:
            known = self.known | frozenset(SYNONYMS) | english_words()
            speller = Speller(self.counts, known, self.counts)
            object.__setattr__(self, "_speller", speller)
        return speller.correct(word)


@cache
def english_words() -> frozenset[str]:
    """The whole, alphabetic words of the sentence encoder's tokenizer (~20k English words)."""
    return spelling.english_words(Path(get_settings().encoder_path()))


def spelled(query: ProductQuery, vocab: Vocabulary) -> ProductQuery:
    """``query`` with its head and modifier words spelt as the catalogue spells them."""
    fixes = {w: vocab.correct(w) for w in (*query.head, *query.modifiers)}
    fixes = {w: fixed for w, fixed in fixes.items() if fixed != w}
    if not fixes:
        return query
    text = " ".join(fixes.get("".join(words(t)), t) for t in query.text.split())
    return replace(
        query,
        head=tuple(fixes.get(w, w) for w in query.head),
        modifiers=tuple(fixes.get(w, w) for w in query.modifiers),
        text=text,
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
    ``vocab``) the product is that kind of thing: its own category (the last level) names the
    last head word (or a word it abbreviates: "deo", "Deodorants"), or its title has that word
    and it ends the name (but for :data:`FORM_WORDS` and sizes). "Washing Machine Cleaner" is
    not a washing machine, "Green Tea Bags" under "Tea Bags" is green tea, and tissues under
    "Disposables, Garbage Bag > Tissue Box" are not bags."""
    tokens = set(words(f"{product.title} {product.brand} {product.category_path}"))
    joined = "".join(words(product.title))
    if not all(_has(word, tokens, joined) for word in head):
        return False
    if vocab is None or not head:
        return True
    tokens = set(words(f"{product.title} {product.brand}"))
    if in_own_category(head, product):
        return not _other_kind_of_category(head, product, tokens, joined)
    if not _has(head[-1], tokens, joined):  # the kind named only by a broad category
        return False
    return not _named_otherwise(head, product.title)


def _other_kind_of_category(
    head: Sequence[str], product: Product, tokens: set[str], joined: str
) -> bool:
    """The product's own category files several kinds ("Shampoo & Conditioner": the last word
    of each part) and its title names another of them, not the head kind (a conditioner is no
    shampoo; a bar is how soap is packed), or names an earlier head word as part of another
    thing."""
    if _has(head[-1], tokens, joined):
        return False
    forms = {w for form in _forms(head[-1]) for w in words(form)}
    kinds = {words(part)[-1] for part in re.split(r"[&,]", product.category[-1]) if words(part)}
    if (kinds - forms - set(head) - PACKAGING) & set(words(product.title)):
        return True
    # "Car Air Freshener" filed under conditioners is no air conditioner: "air" names another
    # thing in its title
    for segment in re.split(r"[-,(|/:+&]", product.title):
        tokens_in = words(segment)
        for position, token in enumerate(tokens_in):
            if token in head[:-1] and any(
                t not in head
                and t not in FORM_WORDS
                and t not in _UNIT_WORDS
                and not t[0].isdigit()
                for t in tokens_in[position + 1 :]
            ):
                return True
    return False


def in_own_category(head: Sequence[str], product: Product) -> bool:
    """The product's own category (the last level) names the last head word, or a word it
    abbreviates ("deo", "Deodorants"): apples under "Apples & Pomegranate", not "Juices"."""
    return category_rank(head, product) < NOT_IN_CATEGORY


NOT_IN_CATEGORY = 2


def category_rank(head: Sequence[str], product: Product) -> int:
    """0 when the product's own category is the head kind and nothing else ("Milk"), 1 when it
    names it among others ("Condensed, Powdered Milk", "Apples & Pomegranate"), else 2."""
    if not head or not product.category:
        return NOT_IN_CATEGORY
    leaf = set(words(product.category[-1]))
    forms = [set(words(f)) for f in _forms(head[-1])]
    if not any(form <= leaf for form in forms) and not _abbreviates(head[-1], leaf):
        return NOT_IN_CATEGORY
    return int(not any(leaf <= form | set(head) for form in forms))


def title_misses(head: Sequence[str], product: Product) -> int:
    """How many head words are not in the product's title (only in its brand or category):
    "Health Drink - Bournvita" is Bournvita before a biscuit of the brand Bournvita is, and
    "Rock Salt" is Tata salt before Tata's "Iodized"."""
    joined = "".join(words(product.title))
    return sum(not _has(word, set(words(product.title)), joined) for word in head)


def in_title(head: Sequence[str], product: Product) -> bool:
    """Every head word is in the product's title (:func:`title_misses`)."""
    return not title_misses(head, product)


_PACK_SIZE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:kg|kgs|g|gm|gms|grams?|ml|l|ltr|litres?|pcs|pc|pieces?)\b", re.I
)


def is_combo(product: Product) -> bool:
    """The title sells several products together: "Basmati Rice 5 kg + Atta 5 kg", "... Combo"."""
    parts = product.title.split("+")
    return "combo" in words(product.title) or sum(bool(_PACK_SIZE.search(p)) for p in parts) > 1


def described(query: ProductQuery, product: Product) -> int:
    """How many of the modifiers and qualifiers ("for frizzy hair", "fresh") the product's
    title, brand or category has, its first five letters sufficing ("frizz" for "frizzy",
    "dryness" for "dry")."""
    tokens = set(words(f"{product.title} {product.brand} {product.category_path}"))
    joined = "".join(words(product.title))
    return sum(
        _has(word, tokens, joined)
        or (len(word) >= 3 and any(t.startswith(word[:5]) for t in tokens))
        for word in (*query.modifiers, *query.qualifiers)
    )


def order(query: ProductQuery, head: Sequence[str], product: Product) -> tuple[int, ...]:
    """Sort key of a relevant product: the title plainly the head kind first
    (:func:`kind_rank`), named in the title, in the category of that kind, a single product
    before a combo, then the most modifiers."""
    return (
        kind_rank(head, product),
        title_misses(head, product),
        category_rank(head, product),
        is_combo(product),
        -described(query, product),
    )


def _abbreviates(word: str, category: set[str]) -> bool:
    """``word`` is a short form of a category word ("deo" of "Deodorants")."""
    return len(word) >= 3 and any(len(c) > len(word) + 2 and c.startswith(word) for c in category)


def _named_otherwise(head: Sequence[str], title: str) -> bool:
    """In ``title`` the last head word is followed by words naming another thing ("Milk
    Shake", "Washing Machine Cleaner"), not only by form, pack or size words ("Face Wash Gel")."""
    ends = {words(form)[-1] for form in _forms(head[-1]) if words(form)}
    for segment in re.split(r"[-,(|/:+&]", title):
        tokens_in = words(segment)
        for position, token in enumerate(tokens_in):
            after = tokens_in[position + 1 :]
            for index, word in enumerate(after):
                if word in _TITLE_MODIFIER:  # "Razor for Women" is a razor
                    after = after[:index]
                    break
            if token in ends and any(
                t not in FORM_WORDS and t not in _UNIT_WORDS and not t[0].isdigit() for t in after
            ):
                return True
    return False


def kind_rank(head: Sequence[str], product: Product) -> int:
    """How plainly the title says the product is the head kind: 0 when the title has the head
    words side by side ("Beard Oil") and names nothing else after them, 1 when it has them apart
    ("Oil - Beard Fragrance"), 2 when it names another thing after them ("Milk Shake"), 3 when
    only the brand or category has them."""
    tokens = set(words(f"{product.title} {product.brand}"))
    joined = "".join(words(product.title))
    if not head or not all(_has(word, tokens, joined) for word in head):
        return 3
    if _named_otherwise(head, product.title):
        return 2
    return int(len(head) > 1 and " ".join(head) not in " ".join(words(product.title)))


def _size_pattern(quantity: str) -> re.Pattern[str]:
    """How titles write ``quantity`` ("5 kg": "5kg", "5 Kgs", "5 kilo"; "pack of 10": "10 pcs")."""
    amount, unit = quantity.rsplit(" ", 1)
    if quantity.startswith("pack of"):
        return re.compile(
            rf"\b(?:pack of\s*{unit}|{unit}\s*(?:pcs|pieces|pack|packs|n|x|s)\b)", re.I
        )
    spellings = "|".join(UNIT_SPELLINGS.get(unit, (unit,)))
    return re.compile(rf"(?<![\d.]){re.escape(amount)}\s*(?:{spellings})\b", re.I)


def has_size(quantity: str, product: Product, head: Sequence[str] = ()) -> bool:
    """The product's title (or size) carries ``quantity`` in any spelling of its unit; in a
    combo, the part naming the head ("Rice 5 kg + Atta 10 kg" is no 5 kg atta)."""
    return bool(_size_pattern(quantity).search(f"{sized_part(head, product)} | {product.size}"))


def sized_part(head: Sequence[str], product: Product) -> str:
    """The part of a combo's title naming the last head word ("Sugar 1 kg" of "Rice 5 kg +
    Sugar 1 kg"), else the whole title."""
    if not head or "+" not in product.title:
        return product.title
    parts = product.title.split("+")
    named = [p for p in parts if _has(head[-1], set(words(p)), "".join(words(p)))]
    return named[0] if named else product.title


def has_modifiers(query: ProductQuery, product: Product) -> bool:
    """Every modifier word ("for dry skin") is in the product's title, brand or category."""
    tokens = set(words(f"{product.title} {product.brand} {product.category_path}"))
    joined = "".join(words(product.title))
    return all(_has(word, tokens, joined) for word in query.modifiers)


def for_other_person(query: ProductQuery, product: Product) -> bool:
    """The request says whom it is for (men or women, or a husband, a daughter...) and the
    product's title or category says it is for the other ("deo for my husband": not a "Deo
    Spray For Women"); unisex products and requests that name both are for anyone."""
    asked = set((*query.head, *query.modifiers))
    men, women = bool(asked & _FOR_MEN), bool(asked & _FOR_WOMEN)
    if men == women:
        return False
    said = set(words(f"{product.title} {product.category_path}"))
    other = said & (_WOMEN_PRODUCT if men else _MEN_PRODUCT)
    return (
        bool(other)
        and "unisex" not in said
        and not said & (_MEN_PRODUCT if men else _WOMEN_PRODUCT)
    )


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
    """The hits that clear the floor, those whose title says what they are first (then in
    their order). Modifiers and the quantity are filters when some of the products that say
    most plainly what they are have them ("face cream for oily skin", "sugar 1 kg"); else they
    are dropped."""
    kept = [
        hit
        for hit in hits
        if not _excluded(query, hit.product) and not for_other_person(query, hit.product)
    ]
    head: tuple[str, ...] = ()
    if query.head:
        head = required_words(query, kept, vocab)
        kept = [hit for hit in kept if matches(head, hit.product, vocab)]
        kept.sort(key=lambda hit: order(query, head, hit.product))
        best = min((kind_rank(head, hit.product) for hit in kept), default=3)
        plain = [hit for hit in kept if kind_rank(head, hit.product) == best]
        # of the head kind by title and by category: "chocolates for kids" are chocolates
        # before they are for kids, so a kids' chocolate drink does not filter them out
        plainest = [
            h for h in plain if in_title(head, h.product) and in_own_category(head, h.product)
        ]
    else:
        plain = plainest = kept
    if query.modifiers and any(has_modifiers(query, hit.product) for hit in plainest or plain):
        kept = [hit for hit in kept if has_modifiers(query, hit.product)]
    quantity = query.quantity
    if quantity and any(has_size(quantity, hit.product, head) for hit in plain):
        kept = [hit for hit in kept if has_size(quantity, hit.product, head)]
    return kept


def fit(query: ProductQuery, hits: Sequence[SearchHit]) -> tuple[bool, ...]:
    """How well the first of ``hits`` (as :func:`relevant` orders them) fits the request, best
    first: plainly the head kind, with the modifiers, of the quantity asked for, and a single
    product (not a combo); ``()`` without hits. Tuples compare: a deeper search that fits
    better replaces a shallow one."""
    if not hits:
        return ()
    first = hits[0].product
    return (
        kind_rank(query.head, first) == 0,
        has_modifiers(query, first),
        not query.quantity or has_size(query.quantity, first, query.head),
        not is_combo(first),
    )


def satisfied(query: ProductQuery, hits: Sequence[SearchHit]) -> bool:
    """The first of ``hits`` fits in every way (:func:`fit`); if not, a deeper search may find
    products that do."""
    return bool(hits) and all(fit(query, hits))


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
