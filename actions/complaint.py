"""``action_handle_complaint``: answer a shopper who says they are unhappy, fitting what they
are unhappy about: an order (a person can sort it out), the products just shown (different ones,
cheaper when it was the price), or the assistant itself (an apology, a way forward, a person)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints
from actions.search import ActionSearchProducts, present
from actions.selection import shown_products
from actions.sentiment_adjustment import (
    HUMAN_BUTTON,
    OFFER_HUMAN,
    adjust,
    complaints,
    is_complaint,
)

ABOUT_ORDER = re.compile(
    r"\b(?:orders?|deliver\w*|arriv\w*|refund\w*|charged|payment|parcel|package|courier|"
    r"expired|broken|damaged|leak\w*|missing|late)\b",
    re.I,
)
ORDER_REPLY = (
    "I'm sorry about that. A problem with an order needs a person from our support team: I can "
    "bring one in now, or check the order's status if you have its number."
)
ORDER_BUTTONS = [HUMAN_BUTTON, {"title": "Track my order", "payload": "where is my order"}]
ASSISTANT_REPLY = (
    "Sorry I haven't been much help. Tell me what you're looking for, with a brand or a budget "
    'if you like ("Dove shampoo under 300"), or a person from our team can take over.'
)
ASSISTANT_BUTTONS = [
    HUMAN_BUTTON,
    {"title": "Shampoo under ₹200", "payload": "show me shampoo under 200"},
]


class ActionHandleComplaint(Action):
    """Apologise once, for what the shopper complained about, and offer a way forward."""

    def name(self) -> str:
        return "action_handle_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if not is_complaint(tracker.latest_message or {}):
            # a request the classifier took for a complaint ("I'd like a white sofa chair")
            return await ActionSearchProducts().run(dispatcher, tracker, domain)
        text = tracker.latest_message.get("text") or ""
        shown = shown_products(tracker)
        constraints = Constraints.from_slots(tracker)
        if ABOUT_ORDER.search(text) or not shown or not (constraints.product or constraints.brand):
            reply, buttons = (
                (ORDER_REPLY, ORDER_BUTTONS)
                if ABOUT_ORDER.search(text)
                else (ASSISTANT_REPLY, ASSISTANT_BUTTONS)
            )
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        adjustment = adjust(tracker, shown)
        events = present(
            dispatcher,
            adjustment.constrain(constraints),
            intro=adjustment.intro,
            **adjustment.search_options(),
        )
        if complaints(tracker) >= 2:
            dispatcher.utter_message(text=OFFER_HUMAN, buttons=[HUMAN_BUTTON])
        return events
