"""``action_similar_products``: more like the product the shopper points at."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints
from actions.search import present
from actions.selection import ProductAction
from retrieval.schema import Product


class ActionSimilarProducts(ProductAction):
    """Search the product's own type (its narrowest category) by its title, excluding what the
    shopper has already seen; the search's price and rating limits still apply."""

    action_name = "action_similar_products"

    def act(
        self, products: list[Product], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        model = products[0]
        current = Constraints.from_slots(tracker)
        constraints = Constraints(
            product=model.title,
            min_price=current.min_price,
            max_price=current.max_price,
            min_rating=current.min_rating,
        )
        seen = tuple(tracker.get_slot("shown_products") or ())
        events = present(
            dispatcher,
            constraints,
            intro=f"Similar to {model.title}: here",
            exclude_ids=tuple(dict.fromkeys((model.id, *seen))),
            category=model.category[-1] if model.category else None,
        )
        # Keep the shopper's search (not the model product's title) for later refinements.
        return [e for e in events if e.get("name") != "product"]
