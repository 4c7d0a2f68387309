"""Cart actions: add, remove, view, and the checkout summary with exact totals.

The cart lives in the SQL store per shopper (sender id); every total is computed by
:mod:`shop.cart` from catalogue prices.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.details import show_details
from actions.references import NUMBERS, is_bare_reference
from actions.rendering import distinct_names, format_price, product_list_payload
from actions.selection import (
    SEARCH_BUTTONS,
    ProductAction,
    products_by_id,
    remember_selection,
    select_products,
    shown_products,
)
from core.database import session_scope
from retrieval.schema import Product, SearchHit
from shop import cart

_QUANTITY = re.compile(
    rf"(?<!first )(?<!last )(?<!top )\b(\d+|{'|'.join(NUMBERS)})\s*"
    r"(?:x\b|pcs\b|pieces?\b|packs?\b|units?\b|bottles?\b|boxes?\b|packets?\b|of\b)",
    re.I,
)
_SET_QUANTITY = re.compile(
    rf"\b(?:make (?:it|that|them)|change (?:it|that|the quantity) to|set (?:it|the quantity) to|"
    rf"i want|only)\s+(\d+|{'|'.join(NUMBERS)})\b(?!\s*(?:more|extra))",
    re.I,
)
_EVERYTHING = re.compile(r"\b(?:empty|clear)\b|\b(?:everything|all items|all of it)\b", re.I)
CART_STEPS = [
    {"title": "Checkout", "payload": "checkout"},
    {"title": "View my cart", "payload": "show my cart"},
    {"title": "Keep shopping", "payload": "show me snacks"},
]
EMPTY_CART = "Your cart is empty. What can I find for you?"


def quantity_in(text: str) -> int:
    """The quantity a message asks for ("add 3 packs of it", "two of the first one"); 1 when
    none is named."""
    match = _QUANTITY.search(text)
    return _number(match.group(1)) if match else 1


def total_in(text: str) -> int | None:
    """The quantity a message sets rather than adds ("make it 2", "change it to three")."""
    match = _SET_QUANTITY.search(text)
    return _number(match.group(1)) if match else None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def priced_cart(sender_id: str) -> cart.CartSummary:
    """The shopper's cart priced at current catalogue prices."""
    with session_scope() as session:
        quantities = cart.quantities(session, sender_id)
    return cart.price_cart(quantities, products_by_id(list(quantities)))


_NAME_WORD = re.compile(r"[a-z]{4,}")
_NOT_NAMES = frozenset({"remove", "delete", "from", "cart", "basket", "take", "please", "that"})


def in_cart_by_name(text: str, summary: cart.CartSummary) -> list[Product]:
    """The cart's products that the message names by a title word ("remove the honey")."""
    words = set(_NAME_WORD.findall(text.casefold())) - _NOT_NAMES
    return [
        line.product
        for line in summary.lines
        if words & set(_NAME_WORD.findall(f"{line.product.title} {line.product.brand}".casefold()))
    ]


def item_count(summary: cart.CartSummary) -> str:
    """ "1 item", "3 items"."""
    return f"{summary.item_count} item{'s' if summary.item_count != 1 else ''}"


def cart_text(summary: cart.CartSummary) -> str:
    """Numbered lines with quantities and line totals, then the total."""
    names = distinct_names([line.product for line in summary.lines])
    lines = [
        f"{i}. {line.quantity} × {name} — {format_price(float(line.unit_price))}"
        + (f" = {format_price(float(line.total))}" if line.quantity > 1 else "")
        for i, (line, name) in enumerate(zip(summary.lines, names, strict=True), start=1)
    ]
    lines.append(f"Total: {format_price(float(summary.total))} for {item_count(summary)}.")
    if summary.unavailable:
        lines.append(f"{len(summary.unavailable)} product(s) are no longer sold and were left out.")
    return "\n".join(lines)


class ActionAddToCart(ProductAction):
    action_name = "action_add_to_cart"

    def act(
        self, products: list[Product], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if is_bare_reference(text, shown_products(tracker)):
            # "the second one" alone points at a product; it asks for nothing to be bought.
            return show_details(dispatcher, products)
        quantity = quantity_in(text)
        with session_scope() as session:
            if total := total_in(text):  # "make it 2": the new total, not 2 more
                quantity = total
                cart.remove_items(session, tracker.sender_id, [p.id for p in products])
            for product in products:
                cart.add_item(session, tracker.sender_id, product.id, quantity)
        summary = priced_cart(tracker.sender_id)
        names = "; ".join(
            f"{quantity} × {name} ({format_price(p.price or 0)})"
            for p, name in zip(products, distinct_names(products), strict=True)
        )
        done = f"Updated: {names} in your cart." if total else f"Added {names} to your cart."
        dispatcher.utter_message(
            text=f"{done} Your cart now has {item_count(summary)}, "
            f"{format_price(float(summary.total))} in total.",
            buttons=CART_STEPS,
        )
        return remember_selection(products)


class ActionRemoveFromCart(Action):
    def name(self) -> str:
        return "action_remove_from_cart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if _EVERYTHING.search(text):
            with session_scope() as session:
                cart.clear(session, tracker.sender_id)
            dispatcher.utter_message(text=f"Done. {EMPTY_CART}", buttons=SEARCH_BUTTONS)
            return [SlotSet("shown_products", []), SlotSet("selected_products", None)]
        products = in_cart_by_name(text, priced_cart(tracker.sender_id)) or select_products(
            tracker, dispatcher
        )
        if products is None:
            return []
        with session_scope() as session:
            removed = cart.remove_items(session, tracker.sender_id, [p.id for p in products])
        if not removed:
            dispatcher.utter_message(
                text="That isn't in your cart, so there was nothing to remove.",
                buttons=CART_STEPS[1:],
            )
            return []
        summary = priced_cart(tracker.sender_id)
        titles = "; ".join(distinct_names(products))
        rest = cart_text(summary) if summary.lines else EMPTY_CART
        # Checkout and the cart itself are no next step once the cart is empty
        steps = CART_STEPS if summary.lines else CART_STEPS[2:]
        dispatcher.utter_message(text=f"Removed {titles}.\n{rest}", buttons=steps)
        return [
            SlotSet("shown_products", summary.product_ids),
            SlotSet("selected_products", None),
        ]


class ActionViewCart(Action):
    def name(self) -> str:
        return "action_view_cart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        summary = priced_cart(tracker.sender_id)
        if not summary.lines:
            dispatcher.utter_message(text=EMPTY_CART, buttons=SEARCH_BUTTONS)
            return []
        dispatcher.utter_message(text=f"Your cart:\n{cart_text(summary)}")
        hits = [SearchHit(product=line.product, score=0.0) for line in summary.lines]
        buttons = [CART_STEPS[0], {"title": "Remove the first", "payload": "remove the first one"}]
        dispatcher.utter_message(json_message=product_list_payload(hits, buttons=buttons))
        # The cart is now the list on screen: "remove the second one" means its second line.
        return [
            SlotSet("shown_products", summary.product_ids),
            SlotSet("selected_products", None),
        ]


class ActionCheckout(Action):
    def name(self) -> str:
        return "action_checkout"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        summary = priced_cart(tracker.sender_id)
        if not summary.lines:
            dispatcher.utter_message(
                text=f"There's nothing to check out yet. {EMPTY_CART}", buttons=SEARCH_BUTTONS
            )
            return []
        dispatcher.utter_message(
            text=f"Your order summary:\n{cart_text(summary)}\n"
            "Prices are the store's current prices. Payment and delivery details are taken on "
            "the store's checkout page.",
            buttons=[
                {"title": "Edit my cart", "payload": "show my cart"},
                {"title": "Keep shopping", "payload": "show me snacks"},
                {"title": "Talk to a person", "payload": "I want to talk to a person"},
            ],
        )
        return []
