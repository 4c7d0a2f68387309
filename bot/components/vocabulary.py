"""The shopping vocabulary the NLU components share, built from the training data at train time.

Three sources, all in the repository: the hand-written ``SHOPPING_WORDS`` below (cart, price,
size, order words and the fashion and furniture nouns shoppers use), the lookup tables of
``bot/data/nlu/lookups.yml`` (the catalogues' product types and brands) and the product values
annotated in the training examples. Catalogue phrases that also occur in the out-of-scope
training examples (general-assistant requests: "what's the weather", "tell me a joke") are left
out: they say nothing about shopping. Only the standard library is imported here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

OUT_OF_SCOPE = "out_of_scope"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Words that make a message about shopping whatever else it says. Written for this assistant.
SHOPPING_WORDS = frozenset(
    """
    shop shopping store buy buying bought purchase purchasing available availability cart
    basket trolley wishlist checkout order orders ordered delivery
    deliver delivered shipping ship return returns exchange price prices priced pricing
    cost costs costing cheap cheaper cheapest expensive pricier costlier budget afford
    affordable discount discounts offer offers sale deal deals rupees rs inr mrp
    brand brands size sizes sized colour colours color colors shade shades pattern patterns
    patterned material materials fabric made review reviews reviewed rating ratings rated
    stars customers product products item items catalogue catalog collection range options
    similar matching match compare comparison alternative alternatives recommend recommendation
    recommendations suggest suggestions style styles styled stylish fit fits fitting design
    designs designed pack packs packet bottle jar kg gm grams ml litre liter pair pairs piece
    pieces sleeve sleeves sleeveless collar neck waist length width height dimensions
    small medium large xl xxl xs petite
    striped stripes checked checkered plaid floral printed print plain solid dotted polka
    denim cotton wool woollen leather suede silk linen polyester velvet knit knitted wooden
    wood metal glass marble fabric upholstered cushioned rattan
    jacket jackets coat coats blazer blazers dress dresses gown skirt skirts blouse blouses
    shirt shirts tshirt tee tees top tops hoodie hoodies sweater sweaters sweatshirt cardigan
    jumper vest jeans trousers pants shorts joggers leggings suits kurta kurti saree
    shoes shoe sneakers boots heels sandals slippers hat hats cap caps scarf gloves socks
    belt bag bags handbag wallet watch sunglasses jewellery necklace earrings
    furniture sofa sofas couch couches chair chairs armchair recliner stool stools table tables
    desk desks lamp lamps rug rugs carpet bed beds mattress shelf shelves bookshelf bookcase
    cabinet cabinets cupboard wardrobe dresser drawer drawers nightstand ottoman bench
    sectional loveseat cushion cushions pillow pillows curtain curtains mirror
    """.split()
)
# Function words, and catalogue words that general requests use as often ("still", "sets",
# "sports"), never count as shopping evidence, wherever they were found.
STOP_WORDS = frozenset(
    """
    a an the and or but of to in on at for with from by as is are was were be been am it its
    this that these those i me my you your we our they them he she his her what which who how
    when where why can could would should will do does did have has had not no yes please just
    so very any some all one ones more most less up down out off over about into than then
    there here get got give show tell let like want need s t still sets sports plus stock
    """.split()
)


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` (letters only, apostrophes inside words kept)."""
    return WORD.findall(text.lower())


def lookup_words(lookup_tables: Iterable[dict]) -> set[str]:
    """Every word of the product, brand and colour lookup tables."""
    found: set[str] = set()
    for table in lookup_tables:
        if table.get("name") in {"product", "brand", "colour"}:
            for element in table.get("elements") or []:
                found.update(words(str(element)))
    return found


def shopping_vocabulary(
    lookup_tables: Iterable[dict],
    entity_values: Iterable[str],
    out_of_scope_texts: Iterable[str],
    english: frozenset[str],
) -> frozenset[str]:
    """Phrases (words joined by one space) that make a message about shopping:
    ``SHOPPING_WORDS``, the product lookup's entries and the annotated product values, and the
    brands that are not plain English words ("Himalaya", not "Real" or "Gold"). A phrase the
    general requests of ``out_of_scope_texts`` also use is left out ("water", "running")."""
    phrases = set(SHOPPING_WORDS)
    candidates = {" ".join(words(v)) for v in entity_values}
    for table in lookup_tables:
        for element in table.get("elements") or []:
            phrase = " ".join(words(str(element)))
            if table.get("name") == "product" or (
                table.get("name") == "brand" and phrase not in english
            ):
                candidates.add(phrase)
    general = {" ".join(words(text)) for text in out_of_scope_texts}
    kept = {
        c
        for c in candidates
        if len(c) > 2 and c not in STOP_WORDS and not any(f" {c} " in f" {g} " for g in general)
    }
    return frozenset(phrases | kept)


def ngrams(text: str, longest: int = 4) -> Iterator[str]:
    """Every run of up to ``longest`` words of ``text``, joined by one space."""
    tokens = words(text)
    for size in range(1, longest + 1):
        for start in range(len(tokens) - size + 1):
            yield " ".join(tokens[start : start + size])


def is_about_shopping(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether a phrase of ``text`` (or its singular) is a shopping phrase."""
    return any(p in vocabulary or p.rstrip("s") in vocabulary for p in ngrams(text))


# A request phrased as shopping, whatever it names: "do you sell car tyres?", "I want to buy a
# phone case". The shop answers it (with "we don't sell that" if need be), not out of scope.
SHOPPING_FRAME = re.compile(
    r"\b(?:do|does|did) (?:you|u|the (?:shop|store)) (?:have|sell|stock|carry|keep|got)\b|"
    r"\b(?:i (?:want|need|would like|'d like|wanna)|looking|where can i) (?:to )?"
    r"(?:buy|order|purchase|get hold of)\b|\bis there an?y? .{1,40} (?:in stock|for sale)\b",
    re.I,
)
# Predictions a bare product name drifts to ("honey" reads like a greeting).
SMALL_TALK = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", OUT_OF_SCOPE}
)


def is_bare_product(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether the message is only a product phrase of the vocabulary ("honey", "basmati
    rice", "ghee please"): up to four words, each of them shopping vocabulary but for "please".
    """
    tokens = [w for w in words(text) if w not in {"please", "pls", "plz"}]
    return 0 < len(tokens) <= 4 and (
        " ".join(tokens) in vocabulary
        or all(w in vocabulary or w.rstrip("s") in vocabulary for w in tokens)
    )


def unreadable_script(text: str) -> bool:
    """Whether most letters of ``text`` are outside the Latin script (Devanagari, Chinese,
    Arabic, ...): the assistant cannot read it."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    return latin < len(letters) / 2
