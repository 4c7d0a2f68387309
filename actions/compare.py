"""``action_compare_products``: side by side on price and rating, with the exact differences."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.references import BEST_RATED, winner, without_superlatives
from actions.rendering import distinct_names, format_price, product_list_payload, titled
from actions.selection import ProductAction, remember_selection
from retrieval.schema import Product, SearchHit

NEXT_STEPS = [
    {"title": "Add the cheapest", "payload": "add the cheapest one to my cart"},
    {"title": "Cheaper options", "payload": "show me cheaper ones"},
    {"title": "View my cart", "payload": "show my cart"},
]


def comparison(products: list[Product]) -> str:
    """Which is cheapest and which is best rated, by how much, from catalogue numbers; products
    with the same title are named with their brand, size or price."""
    name = dict(zip((p.id for p in products), distinct_names(products), strict=True))
    priced = sorted((p for p in products if p.price is not None), key=lambda p: p.price or 0)
    lines = []
    if len(priced) >= 2:
        cheapest, dearest = priced[0], priced[-1]
        difference = (dearest.price or 0) - (cheapest.price or 0)
        if difference:
            lines.append(
                f"Cheapest: {name[cheapest.id]} at {format_price(cheapest.price or 0)}, "
                f"{format_price(difference)} less than {name[dearest.id]}."
            )
        else:
            lines.append(f"They cost the same: {format_price(cheapest.price or 0)}.")
    rated = sorted((p for p in products if p.rating is not None), key=lambda p: -(p.rating or 0))
    if len(rated) >= 2 and rated[0].rating != rated[-1].rating:
        lines.append(f"Best rated: {name[rated[0].id]} ({rated[0].rating:.1f} out of 5).")
    elif len(rated) >= 2:
        lines.append(f"They have the same rating ({rated[0].rating:.1f} out of 5).")
    return "\n".join(lines)


class ActionCompareProducts(ProductAction):
    action_name = "action_compare_products"
    default_to_all = True

    def reference_text(self, tracker: Tracker) -> str:
        # "Compare them, which is cheaper?" refers to the products compared, not the cheapest.
        return without_superlatives(super().reference_text(tracker))

    def act(
        self, products: list[Product], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if len(products) < 2:
            dispatcher.utter_message(
                text="I need at least two products to compare. Which ones? For example "
                '"compare the first and the third".',
                buttons=[{"title": "Compare the first two", "payload": "compare the first two"}],
            )
            return []
        summary = comparison(products)
        picked = winner(text, products)
        if picked is not None:
            summary = f"{titled(picked)} ({answer(text, picked)}).\n{summary}"
        dispatcher.utter_message(text=f"Comparing {len(products)} products:\n{summary}")
        # The list on screen is the comparison ("the second one" means its second card), or,
        # after "which is cheaper?", the answer alone, which "add that one" then means.
        shown = [picked] if picked is not None else products
        hits = [SearchHit(product=p, score=0.0) for p in shown]
        dispatcher.utter_message(json_message=product_list_payload(hits, buttons=NEXT_STEPS))
        return [*remember_selection(shown), SlotSet("shown_products", [p.id for p in shown])]


def answer(text: str, product: Product) -> str:
    """What made ``product`` the answer: its price or its rating."""
    if product.price is not None and not BEST_RATED.search(text):
        return f"{format_price(product.price)}, the cheaper one"
    return f"rated {product.rating:.1f}, the better rated one"
