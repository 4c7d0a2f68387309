"""What the shopper is looking for, carried across turns in slots.

A new search builds its constraints from the latest message alone (so it resets earlier ones); a
refinement starts from the slots and changes only what the shopper just said.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.rendering import format_price
from actions.shopping_query import ShoppingQuery, parse_shopping_query


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

    @classmethod
    def from_slots(cls, tracker: Tracker) -> Constraints:
        return cls(**{f.name: tracker.get_slot(f.name) for f in fields(cls)})

    @classmethod
    def from_message(cls, tracker: Tracker) -> tuple[Constraints, ShoppingQuery]:
        """Constraints of the latest message only, and the parsed query behind them."""
        values = _entities(tracker)
        query = parse_shopping_query(tracker.latest_message.get("text") or "", values["product"])
        values["product"] = values["product"] or query.text or None
        return cls(**values, **_bounds(query)), query

    def updated(self, query: ShoppingQuery, tracker: Tracker) -> Constraints:
        """These constraints with what the latest message adds or changes."""
        changes: dict[str, Any] = {k: v for k, v in _entities(tracker).items() if v}
        changes.update({k: v for k, v in _bounds(query).items() if v is not None})
        return replace(self, **changes)

    def slot_events(self) -> list[dict[str, Any]]:
        return [SlotSet(f.name, getattr(self, f.name)) for f in fields(self)]

    def search_text(self) -> str:
        """Words for ranking: product type plus the soft attributes (colour, size, gender)."""
        words = (self.colour, self.size, self.gender, self.product)
        return " ".join(w for w in words if w)

    def describe(self) -> str:
        """A short human description, e.g. ``Amul butter under ₹200, rated 4+``."""
        words = " ".join(w for w in (self.colour, self.brand, self.product) if w) or "products"
        if self.gender:
            words += f" for {self.gender}"
        if self.size:
            words += f" ({self.size})"
        if self.min_price is not None and self.max_price is not None:
            words += f" between {format_price(self.min_price)} and {format_price(self.max_price)}"
        elif self.max_price is not None:
            words += f" under {format_price(self.max_price)}"
        elif self.min_price is not None:
            words += f" over {format_price(self.min_price)}"
        if self.min_rating is not None:
            words += f", rated {self.min_rating:g}+"
        return words


def _entities(tracker: Tracker) -> TextEntities:
    """The latest message's text entities; several values of one entity are joined."""
    found: dict[str, list[str]] = {name: [] for name in TextEntities.__annotations__}
    for entity in tracker.latest_message.get("entities") or []:
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


def _bounds(query: ShoppingQuery) -> Bounds:
    return Bounds(min_price=query.min_price, max_price=query.max_price, min_rating=query.min_rating)
