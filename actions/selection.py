"""The products a turn is about: those shown last, and those the shopper singled out."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.references import resolve
from retrieval.schema import Product

# "add one", "buy one of these": a quantity, no reference.
ONE_OF_THEM = re.compile(
    r"^\W*(?:add|buy|take|get|i'?ll take)\s+(?:one|1)"
    r"(?:\s+(?:of (?:them|these|those)|pack|packet|please|pls|to (?:my |the )?(?:cart|basket)))*"
    r"\W*$",
    re.I,
)
# "the brown one", "that red one": a product pointed at, not a search for "brown".
POINTED_AT = re.compile(
    r"^\W*(?:the|that|this)\s+(?:[\w-]+\s+){1,2}ones?(?:\s+(?:please|pls))?\W*$", re.I
)
NOTHING_SHOWN = "I haven't shown you any products yet. What are you looking for?"
PICK_ONE_BUTTONS = [
    {"title": "The first one", "payload": "tell me more about the first one"},
    {"title": "The second one", "payload": "tell me more about the second one"},
]
SEARCH_BUTTONS = [
    {"title": "Shampoo under ₹200", "payload": "show me shampoo under 200"},
    {"title": "Green tea", "payload": "show me green tea"},
]


def products_by_id(ids: list[str] | None) -> list[Product]:
    """Catalogue products for ``ids``, in that order (unknown ids dropped)."""
    if not ids:
        return []
    from retrieval.search import get_products  # heavy: load on first use, not at import

    found = {p.id: p for p in get_products(ids)}
    return [found[i] for i in ids if i in found]


def shown_products(tracker: Tracker) -> list[Product]:
    """The products shown in the latest list, in the order shown."""
    return products_by_id(tracker.get_slot("shown_products"))


def select_products(
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    *,
    default_to_all: bool = False,
    text: str | None = None,
) -> list[Product] | None:
    """The products the latest message (or ``text``) refers to, or None after telling the
    shopper why not.

    Without an explicit reference ("add it"), the products singled out earlier are meant, else
    the only product shown, else (``default_to_all``) everything shown.
    """
    shown = shown_products(tracker)
    if text is None:
        text = tracker.latest_message.get("text") or ""
    resolution = resolve(text, shown)
    if resolution.problem:
        buttons = PICK_ONE_BUTTONS if shown else SEARCH_BUTTONS
        dispatcher.utter_message(text=resolution.problem, buttons=buttons)
        return None
    if resolution.products:
        return list(resolution.products)
    selected = products_by_id(tracker.get_slot("selected_products"))
    if selected:
        return selected
    if len(shown) == 1 or (default_to_all and shown):
        return shown
    if shown and ONE_OF_THEM.match(text):  # "add one": the top result, named in the reply
        return shown[:1]
    if not shown:
        dispatcher.utter_message(text=NOTHING_SHOWN, buttons=SEARCH_BUTTONS)
    else:
        dispatcher.utter_message(
            text='Which one do you mean? You can say "the second one" or "the last one".',
            buttons=PICK_ONE_BUTTONS,
        )
    return None


def remember_selection(products: list[Product]) -> list[dict[str, Any]]:
    """Slot events so that a later "add it" or "compare them" means these products."""
    return [SlotSet("selected_products", [p.id for p in products])]


class ProductAction(Action, ABC):
    """An action on the products the latest message refers to: :func:`select_products` picks
    them (or tells the shopper why it cannot) and :meth:`act` does the rest."""

    action_name: ClassVar[str]
    default_to_all: ClassVar[bool] = False  # no reference and several shown: all of them

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        products = select_products(
            tracker,
            dispatcher,
            default_to_all=self.default_to_all,
            text=self.reference_text(tracker),
        )
        return [] if products is None else self.act(products, dispatcher, tracker)

    def reference_text(self, tracker: Tracker) -> str:
        """The words the products are picked from: the latest message."""
        return tracker.latest_message.get("text") or ""

    @abstractmethod
    def act(
        self, products: list[Product], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """The action's events for the selected ``products``."""
