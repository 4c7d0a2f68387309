"""What the shopper is looking for, carried across turns in slots.

A new search builds its constraints from the latest message alone (so it resets earlier ones); a
refinement starts from the slots and changes only what the shopper just said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from itertools import zip_longest
from typing import Any, TypedDict

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.rendering import format_price
from actions.shopping_query import (
    CHEAPER_HALF,
    PRICE_ASC,
    PRICE_DESC,
    ShoppingQuery,
    is_filler,
    parse_shopping_query,
)


class TextEntities(TypedDict):
    """The text-valued constraints a message names (entities extracted by Rasa)."""

    product: str | None
    brand: str | None
    colour: str | None
    size: str | None
    gender: str | None


class Bounds(TypedDict):
    """The numeric constraints parsed from a message's words."""

    min_price: float | None
    max_price: float | None
    min_rating: float | None


TEXT_ENTITIES = ("product", "brand", "colour", "size", "gender")
# Words that, just before a brand, exclude it ("not Dove", "anything but Nivea", "no Lux or
# Pears"), and Hinglish ones just after it ("Dove wala nahi").
_EXCLUDED_BEFORE = re.compile(
    r"(?:\b(?:not|no|without|except|(?:anything|everything|all) but|other than|skip|"
    r"excluding|besides|avoid|hate|nahi)"
    r"|\bdon'?t (?:want|like|show(?: me)?|need))\s*(?:the |any |from |a )?$",
    re.I,
)
_PURPOSE_BEFORE = re.compile(r"\b(?:for|against)\s+(?:my |your |the |a )?$", re.I)
_JOINED = re.compile(r"^\s*(?:,|or|nor|and|/)\s*$", re.I)
_EXCLUDED_AFTER = re.compile(  # "Dove wala nahi", normalised "Dove one not"
    r"^\s*(?:(?:wala|waala|ka|ki|ke|one|ones)\s*)?(?:nahi|nahin|mat)\b|^\s*(?:one|ones)\s+not\b",
    re.I,
)
_LETTER_SIZE = re.compile(r"\b(?:size|in|sized?)\s+(xxs|xs|s|m|l|xl|xxl|xxxl)\b", re.I)
_UNIT_SIZE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(kg|kgs|kilos?|g|gm|gms|grams?|ml|l|ltr|litres?|liters?)\b", re.I
)
_UNITS = {
    "kgs": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "gm": "g",
    "gms": "g",
    "gram": "g",
    "grams": "g",
    "ltr": "l",
}
_UNITS |= {w: "l" for w in ("litre", "litres", "liter", "liters")}
# A price bound this far inside a price leaves that price out ("cheaper than ₹130": at most
# ₹129.999) and still reads as that price once rounded to the paisa ("under ₹130").
INSIDE = 0.001
_ORDER_WORDS = {
    PRICE_ASC: ", cheapest first",
    PRICE_DESC: ", most expensive first",
    CHEAPER_HALF: ", the cheaper half",
}


@dataclass(frozen=True)
class Constraints:
    """One search's constraints; every field is also a slot of the same name."""

    product: str | None = None
    brand: str | None = None
    colour: str | None = None
    size: str | None = None
    gender: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    min_rating: float | None = None
    exclude_brands: tuple[str, ...] = ()  # "not Dove", "another brand"
    sort: str | None = None  # PRICE_ASC (cheaper), PRICE_DESC (pricier) or CHEAPER_HALF
    pack: str | None = None  # "bigger" or "smaller" than ``size`` (the packs shown)

    @classmethod
    def from_slots(cls, tracker: Tracker) -> Constraints:
        values = {f.name: tracker.get_slot(f.name) for f in fields(cls)}
        values["exclude_brands"] = tuple(values["exclude_brands"] or ())
        return cls(**values)

    @classmethod
    def from_message(cls, tracker: Tracker) -> tuple[Constraints, ShoppingQuery]:
        """Constraints of the latest message only, and the parsed query behind them."""
        values = _entities(tracker)
        if named := products_named(tracker):  # "biscuits for tea time": tea is what they're for
            values["product"] = " ".join(named)
        text = tracker.latest_message.get("text") or ""
        query = parse_shopping_query(text, values["product"])
        values["product"] = values["product"] or query.text or None
        if values["product"]:
            values["product"] = fuller_product(text, values["product"])
        values["size"] = values["size"] or size_in(text)
        if values["product"]:  # "sugar 1kg": the size is its own constraint
            values["product"] = " ".join(_UNIT_SIZE.sub(" ", values["product"]).split()) or None
        wanted, excluded = brand_mentions(tracker)
        values["brand"] = " ".join(wanted) or None
        return cls(**values, **_bounds(query), exclude_brands=excluded, sort=query.sort), query

    def updated(self, query: ShoppingQuery, tracker: Tracker) -> Constraints:
        """These constraints with what the latest message adds or changes: a brand named is the
        only one wanted ("only Amul"), a brand negated is left out ("not Amul")."""
        changes: dict[str, Any] = {k: v for k, v in _entities(tracker).items() if v}
        changes.update({k: v for k, v in _bounds(query).items() if v is not None})
        if size := changes.get("size") or size_in(tracker.latest_message.get("text") or ""):
            changes["size"] = size
        wanted, excluded = brand_mentions(tracker)
        changes.pop("brand", None)
        if changes.get("gender") and self.product:  # "and for women?" after "sandals for men"
            product = " ".join(_FOR_WHOM.sub(" ", self.product).split())
            changes.setdefault("product", product or self.product)
        updated = replace(self, **changes)
        if wanted:
            updated = updated.with_brand(" ".join(wanted))
        return updated.without_brands(excluded)

    def with_brand(self, brand: str) -> Constraints:
        """Only ``brand`` (no longer excluded)."""
        keep = tuple(b for b in self.exclude_brands if b.casefold() != brand.casefold())
        return replace(self, brand=brand, exclude_brands=keep)

    def without_brands(self, brands: tuple[str, ...]) -> Constraints:
        """``brands`` left out: the brand filter dropped when it is one of them, their names
        taken out of the product words."""
        if not brands:
            return self
        folded = {b.casefold() for b in brands}
        brand = None if (self.brand or "").casefold() in folded else self.brand
        excluded = tuple(dict.fromkeys((*self.exclude_brands, *brands)))
        product = self.product or ""  # "colgate toothpaste", not Colgate: "toothpaste"
        for name in brands:
            product = re.sub(rf"\b{re.escape(name)}\b", " ", product, flags=re.I)
        cleaned = " ".join(product.split())
        return replace(self, brand=brand, exclude_brands=excluded, product=cleaned or self.product)

    def slot_events(self) -> list[dict[str, Any]]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["exclude_brands"] = list(self.exclude_brands) or None
        return [SlotSet(name, value) for name, value in values.items()]

    def search_text(self) -> str:
        """Words for ranking: product type plus the soft attributes (colour, size, gender)."""
        size = None if self.pack else self.size  # "bigger than 1 kg" is not "1 kg"
        words = (self.colour, size, self.gender, self.product)
        return " ".join(w for w in words if w)

    def describe(self, closest: bool = False) -> str:
        """A short human description, e.g. ``Amul butter under ₹200, rated 4+``; ``closest``:
        the pack size was a preference that too few products matched exactly, or no product
        shown lists the pack size a direction ("bigger") needs."""
        words = " ".join(w for w in (self.colour, self.brand, self.product) if w) or "products"
        if self.gender and not re.search(rf"\b{re.escape(self.gender)}\b", words, re.I):
            words += f" for {self.gender}"  # not "sandals for men for men"
        if self.pack and self.size:
            words += f", {self.pack} than {self.size}"
        elif self.pack:  # no pack sizes to go by: say so rather than promise them
            words += (
                f" (pack sizes not listed, so not surely {self.pack})"
                if closest
                else (f", {self.pack} packs first")
            )
        elif self.size:
            words += f", closest to {self.size}" if closest else f" ({self.size})"
        if self.exclude_brands:
            words += f", not {' or '.join(self.exclude_brands)}"
        if self.min_price is not None and self.max_price is not None:
            words += f" between {bound_text(self.min_price)} and {bound_text(self.max_price)}"
        elif self.max_price is not None:
            words += f" under {bound_text(self.max_price)}"
        elif self.min_price is not None:
            words += f" over {bound_text(self.min_price)}"
        if self.min_rating is not None:
            words += f", rated {self.min_rating:g}+"
        return words + _ORDER_WORDS.get(self.sort or "", "")


def bound_text(amount: float) -> str:
    """A price bound as the shopper reads it: rounded to the paisa (see :data:`INSIDE`)."""
    return format_price(round(amount, 2))


# Words besides chat filler that the entity extractor sometimes takes into a product at its
# edges ("dal too", "atta want" from "atta chahiye", "more soap", "5 kg one" from "wala").
_EDGE_WORDS = frozenset("too more bhi one ones wala wali wale".split())


def _trimmed(value: str) -> str:
    """``value`` without chat filler at its edges ("atta want" -> "atta"); as it was when
    nothing else is left."""
    kept = value.split()
    while kept and (is_filler(kept[0]) or kept[0].lower() in _EDGE_WORDS):
        kept = kept[1:]
    while kept and (is_filler(kept[-1]) or kept[-1].lower() in _EDGE_WORDS):
        kept = kept[:-1]
    return " ".join(kept) or value


# Whom a product was for, said in its words ("sandals for men"): a new gender replaces it.
_FOR_WHOM = re.compile(
    r"\b(?:for\s+)?(?:men|man|women|woman|boys?|girls?|kids?|ladies|gents|unisex)(?:'s)?\b", re.I
)
_CONJUNCTION = re.compile(r"[,&/+]|\b(?:and|or|plus|aur|then)\b", re.I)


def _product_entities(tracker: Tracker) -> list[dict[str, Any]]:
    """The latest message's ``product`` entities as the shopper meant them: parts with only a
    space between are one product ("moong" + "dal 1kg"), filler at the edges goes ("dal too"),
    and a product restated more precisely without a conjunction ("dal too - moong dal 1kg") is
    the precise one only."""
    text = tracker.latest_message.get("text") or ""
    merged: list[dict[str, Any]] = []
    for entity in sorted(
        (e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "product"),
        key=lambda e: e.get("start") or 0,
    ):
        value, start, end = entity.get("value"), entity.get("start"), entity.get("end")
        if not isinstance(value, str) or start is None or end is None:
            continue
        value = _trimmed(value)
        if merged and not text[merged[-1]["end"] : start].strip():
            merged[-1] = {**merged[-1], "value": f"{merged[-1]['value']} {value}", "end": end}
        else:
            merged.append({**entity, "value": value})
    return [
        entity
        for entity, following in zip_longest(merged, merged[1:])
        if following is None
        or _CONJUNCTION.search(text[entity["end"] : following["start"]])
        or not set(entity["value"].lower().split()) <= set(following["value"].lower().split())
    ]


def _entities(tracker: Tracker) -> TextEntities:
    """The latest message's text entities; several values of one entity are joined."""
    found: dict[str, list[str]] = {name: [] for name in TextEntities.__annotations__}
    entities = [
        e for e in tracker.latest_message.get("entities") or [] if e.get("entity") != "product"
    ]
    for entity in [*_product_entities(tracker), *entities]:
        name, value = entity.get("entity"), entity.get("value")
        if name in found and isinstance(value, str) and value not in found[name]:
            found[name].append(value)

    def joined(name: str) -> str | None:
        return " ".join(found[name]) or None

    return TextEntities(
        product=joined("product"),
        brand=joined("brand"),
        colour=joined("colour"),
        size=joined("size"),
        gender=joined("gender"),
    )


_FREE_OF = re.compile(r"\b([a-z]+)[- ]free\b", re.I)
_PURPOSE = re.compile(
    r"\bfor\s+(?:my|your|our|his|her|the|a|an)?\s*((?!under\b|below\b|less\b|around\b)"
    r"[a-z]+(?:\s+(?!under\b|below\b|less\b|around\b|with\b|and\b)[a-z]+)?)",
    re.I,
)


def fuller_product(text: str, product: str) -> str:
    """The product entity with the words of the message the entity model left out: what it is
    free of ("sulphate free shampoo", not "free shampoo") and what it is for ("toothbrush for my
    kids" searches "toothbrush for kids")."""
    words = product.split()
    if "free" in (w.casefold() for w in words):
        for match in _FREE_OF.finditer(text):
            if match.group(1).casefold() not in (w.casefold() for w in words):
                at = [w.casefold() for w in words].index("free")
                words[at:at] = [match.group(1)]
                break
    # what it is for comes after the product ("looking for toothpaste for my kids")
    after = text.casefold().find(words[0].casefold()) if words else -1
    if purpose_of := _PURPOSE.search(text, max(after, 0)):
        known = {w.casefold() for w in words}
        purpose = [w for w in purpose_of.group(1).split() if w.casefold() not in known]
        words += ["for", *purpose] if purpose else []
    return " ".join(words)


def products_named(tracker: Tracker) -> list[str]:
    """The distinct ``product`` entities of the latest message, in order ("soap and atta"); a
    product after "for"/"against" is what the first one is for ("shampoo for dandruff"), not a
    second request."""
    text = tracker.latest_message.get("text") or ""
    products = [
        e["value"]
        for e in _product_entities(tracker)
        if not _PURPOSE_BEFORE.search(text[max(0, e["start"] - 12) : e["start"]])
    ]
    return list(dict.fromkeys(products))


def brand_mentions(tracker: Tracker) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(brands wanted, brands excluded) among the latest message's ``brand`` entities, by the
    words around each: "only Dove" wants it, "not Dove" / "no Lux or Pears" exclude them."""
    text = tracker.latest_message.get("text") or ""
    wanted: list[str] = []
    excluded: list[str] = []
    previous_end, previous_excluded = 0, False
    mentions = [
        e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "brand"
    ]
    for entity in sorted(mentions, key=lambda e: e.get("start") or 0):
        value, start, end = entity.get("value"), entity.get("start"), entity.get("end")
        if not isinstance(value, str) or start is None or end is None:
            continue
        negated = bool(_EXCLUDED_BEFORE.search(text[max(0, start - 30) : start])) or bool(
            _EXCLUDED_AFTER.search(text[end:])
        )
        negated |= previous_excluded and bool(_JOINED.match(text[previous_end:start]))
        (excluded if negated else wanted).append(value)
        previous_end, previous_excluded = end, negated
    return tuple(dict.fromkeys(wanted)), tuple(dict.fromkeys(excluded))


_BASE = {"kg": (1000.0, "g"), "g": (1.0, "g"), "l": (1000.0, "ml"), "ml": (1.0, "ml")}


def pack_amount(text: str) -> tuple[float, str] | None:
    """The first pack size in ``text`` in grams or millilitres: "Sugar 1 kg" -> (1000, "g")."""
    size = size_in(text)
    if size is None or " " not in size:
        return None
    number, unit = size.split(" ")
    factor, base = _BASE[unit]
    return float(number) * factor, base


def size_text(amount: float, base: str) -> str:
    """A pack size for people: (1000, "g") -> "1 kg", (500, "ml") -> "500 ml"."""
    if amount >= 1000:
        return f"{amount / 1000:g} {'kg' if base == 'g' else 'l'}"
    return f"{amount:g} {base}"


def size_in(text: str) -> str | None:
    """A clothing size or a pack size named in ``text``: "size M" -> "M", "5kg" -> "5 kg"."""
    if match := _LETTER_SIZE.search(text):
        return match.group(1).upper()
    if match := _UNIT_SIZE.search(text):
        unit = match.group(2).lower()
        return f"{match.group(1)} {_UNITS.get(unit, unit)}"
    return None


def _bounds(query: ShoppingQuery) -> Bounds:
    return Bounds(min_price=query.min_price, max_price=query.max_price, min_rating=query.min_rating)
