"""``action_product_details``: price, rating, brand, category and more for the products the
shopper points at ("what's the price of the second one?")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.references import winner
from actions.rendering import format_price, product_list_payload
from actions.selection import ProductAction, remember_selection
from retrieval.schema import Product, SearchHit


def describe_product(product: Product) -> str:
    """Every fact the catalogue has about a product, one per line, prices exact."""
    lines = [product.title]
    if product.brand:
        lines.append(f"Brand: {product.brand}")
    if product.price is not None:
        price = f"Price: {format_price(product.price, product.currency)}"
        if product.list_price and product.list_price > product.price:
            saving = round(100 * (1 - product.price / product.list_price))
            price += f" (was {format_price(product.list_price, product.currency)}, {saving}% off)"
        lines.append(price)
    rating = f"{product.rating:.1f} out of 5" if product.rating is not None else "none yet"
    lines.append(f"Rating: {rating}")
    for label, value in (
        ("Size", product.size),
        ("Colour", product.colour),
        ("For", product.gender),
        ("Category", product.category_path),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines += [f"{key}: {value}" for key, value in product.attributes.items()]
    if product.description:
        lines.append(product.description[:300])
    return "\n".join(lines)


NEXT_STEPS = [
    {"title": "Add to cart", "payload": "add it to my cart"},
    {"title": "Similar products", "payload": "show me more like this"},
    {"title": "Compare all shown", "payload": "compare them all"},
]


class ActionProductDetails(ProductAction):
    action_name = "action_product_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from actions.questions import answer_question  # questions build on this module

        answered = answer_question(dispatcher, tracker)  # "is the second one vegan?"
        return await super().run(dispatcher, tracker, domain) if answered is None else answered

    def act(
        self, products: list[Product], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        # "Which is cheaper, the first or the second?": the answer, which "add that one" means.
        picked = winner(tracker.latest_message.get("text") or "", products)
        return show_details(dispatcher, [picked] if picked else products)


def show_details(dispatcher: CollectingDispatcher, products: list[Product]) -> list[dict[str, Any]]:
    """Every fact about ``products`` and their cards; a later "add it" then means them."""
    text = "\n\n".join(describe_product(p) for p in products)
    dispatcher.utter_message(text=text)
    hits = [SearchHit(product=p, score=0.0) for p in products]
    dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
    return remember_selection(products)
