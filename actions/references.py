"""Which shown products a shopper means: "the second one", "both", "the first two",
"that red one", "the Dove one", "the last one".

Resolution is plain code over the message and the products shown last, so it is exact and
testable; the NLU model only decides what the shopper wants done with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.schema import Product

ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10,
    # Hinglish: "pehla wala", "doosri wali", "teesra"
    "pehla": 1, "pehli": 1, "pehle": 1, "pahla": 1, "doosra": 2, "doosri": 2, "dusri": 2,
    "teesra": 3, "teesri": 3, "tisra": 3, "chautha": 4, "chauthi": 4,
}  # fmt: skip
NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
COLOURS = (
    "black", "white", "red", "blue", "green", "yellow", "pink", "purple", "orange", "brown",
    "grey", "gray", "silver", "gold", "golden", "beige", "navy", "maroon", "transparent", "clear",
)  # fmt: skip

_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_FIRST_N = re.compile(rf"\b(?:first|top)\s+{_COUNT}\b", re.I)
_LAST_N = re.compile(rf"\blast\s+{_COUNT}\b", re.I)
_ORDINAL = re.compile(rf"\b({'|'.join(ORDINALS)})\b", re.I)
_NUMBERED = re.compile(
    r"(?:#|\bno\.?\s*|\bnumber\s+|\boption\s+|\bitem\s+|\bproduct\s+)(\d+)\b", re.I
)
_LAST = re.compile(r"\b(?:last|final|bottom|aakhri|akhri)\b", re.I)
_BOTH = re.compile(r"\b(?:both|the two|these two|those two|them two)\b", re.I)
_CHEAPEST = re.compile(
    r"\b(?:cheapest|cheaper|least expensive|less expensive|lowest[- ]priced?|sasta)\b", re.I
)
BEST_RATED = re.compile(r"\b(?:best|highest|top|better|higher)[- ]rated\b", re.I)
# A question that picks one of the products ("which is cheaper?", "which one is better rated").
_WHICH = re.compile(r"\b(?:which|kaun ?sa)\b", re.I)
# Words that ask for products to be bought, not just pointed at or asked about.
_BUY_WORDS = re.compile(
    r"\b(?:add|cart|basket|bag|buy|take|put|order|purchase|get|want|need|have|pick|choose|"
    r"go with|chahiye|daal|dal do|le lo|kharid\w*)\b",
    re.I,
)
_ALL = re.compile(r"\b(?:all|every(?:thing)?|all of them|each of them|them all)\b", re.I)


@dataclass(frozen=True)
class Resolution:
    """The products referred to, or ``problem`` when the reference cannot be honoured."""

    products: tuple[Product, ...] = ()
    problem: str | None = None
    explicit: bool = False  # the message named products (rather than nothing at all)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _positions(text: str, shown: int) -> list[int] | None:
    """1-based positions named in ``text`` (negative = from the end); None when none are."""
    if match := _FIRST_N.search(text):
        return list(range(1, _count(match.group(1)) + 1))
    if match := _LAST_N.search(text):
        n = _count(match.group(1))
        return list(range(shown - n + 1, shown + 1)) if n <= shown else list(range(1, n + 1))
    found = [ORDINALS[w.lower()] for w in _ORDINAL.findall(text)]
    found += [int(n) for n in _NUMBERED.findall(text)]
    if _LAST.search(text):
        found.append(shown)
    if found:
        return list(dict.fromkeys(found))
    if _BOTH.search(text):
        return [1, 2]
    if _ALL.search(text):
        return list(range(1, shown + 1))
    return None


def _by_description(text: str, shown: Sequence[Product]) -> list[Product]:
    """Products whose brand or colour the message names ("the Dove one", "that red one")."""
    words = set(re.findall(r"[\w']+", text.casefold()))
    colours = words & set(COLOURS)
    matches = []
    for product in shown:
        brand = product.brand.casefold()
        title = product.title.casefold()
        named_brand = bool(brand) and (
            brand in text.casefold() or any(w in words for w in brand.split() if len(w) > 3)
        )
        named_colour = any(
            re.search(rf"\b{c}\b", f"{title} {product.colour.casefold()}") for c in colours
        )
        if named_brand or named_colour:
            matches.append(product)
    return matches


def is_bare_reference(text: str, shown: Sequence[Product]) -> bool:
    """Whether the message points at or asks about a product ("the second one", "2nd pls",
    "tell me about the red one") without asking to buy it."""
    return resolve(text, shown).explicit and not _BUY_WORDS.search(text)


def winner(text: str, products: Sequence[Product]) -> Product | None:
    """The product a "which is cheaper / better rated?" question picks out, else None."""
    if not _WHICH.search(text):
        return None
    priced = [p for p in products if p.price is not None]
    if _CHEAPEST.search(text) and priced:
        return min(priced, key=lambda p: p.price or 0.0)
    rated = [p for p in products if p.rating is not None]
    if BEST_RATED.search(text) and rated:
        return max(rated, key=lambda p: p.rating or 0.0)
    return None


def without_superlatives(text: str) -> str:
    """The message without "cheapest"/"best rated", so that "compare them, which is cheaper?"
    refers to the products compared rather than to the cheapest one alone."""
    return BEST_RATED.sub(" ", _CHEAPEST.sub(" ", text))


def resolve(text: str, shown: Sequence[Product]) -> Resolution:
    """The products of ``shown`` (in the order they were shown) that ``text`` refers to."""
    positions = _positions(text, len(shown))
    if positions is not None:
        if not shown:
            return Resolution(problem="I haven't shown you any products yet.", explicit=True)
        beyond = [p for p in positions if p < 1 or p > len(shown)]
        if beyond:
            count = len(shown)
            return Resolution(
                problem=(
                    f"I only showed you {count} product{'s' if count != 1 else ''}, so there's "
                    f"no number {beyond[0]}. Which one did you mean"
                    + (f" (1 to {count})?" if count > 1 else "?")
                ),
                explicit=True,
            )
        return Resolution(products=tuple(shown[p - 1] for p in positions), explicit=True)
    priced = [p for p in shown if p.price is not None]
    if _CHEAPEST.search(text) and priced:
        return Resolution(products=(min(priced, key=lambda p: p.price or 0.0),), explicit=True)
    rated = [p for p in shown if p.rating is not None]
    if BEST_RATED.search(text) and rated:
        return Resolution(products=(max(rated, key=lambda p: p.rating or 0.0),), explicit=True)
    described = _by_description(text, shown)
    return Resolution(products=tuple(described), explicit=bool(described))
