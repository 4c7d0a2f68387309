"""Order status and returns: Rasa forms that ask for the order id and the email on the order,
validated against the orders table before anything about the order is said."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.rendering import format_price
from core.database import session_scope
from shop import orders

ORDER_STEPS = [
    {"title": "Return an item", "payload": "I want to return an item"},
    {"title": "Keep shopping", "payload": "show me snacks"},
    {"title": "Talk to a person", "payload": "I want to talk to a person"},
]


TOO_MANY_TRIES = (
    "Sorry, I can't look up that order right now: too many order numbers or emails didn't "
    "match in the last hour. Please try again later, or ask for a person."
)


def reject(dispatcher: CollectingDispatcher, slot: str, why: str) -> dict[str, Any]:
    """Tell the shopper why a form value was refused, and clear ``slot`` so the form asks again."""
    dispatcher.utter_message(text=why)
    return {slot: None}


class VerifiedOrderValidation(FormValidationAction):
    """Shared checks of ``order_id`` and ``order_email``: the id must exist, and the email
    must be the one on that order. A rejected value is cleared so the form asks again."""

    @abstractmethod
    def name(self) -> str: ...

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order_id = orders.normalise_order_id(str(value or ""))
        if order_id is None:
            return reject(
                dispatcher,
                "order_id",
                "That doesn't look like an order number. It looks like AIS-7KQ2-M9XD and is in "
                "your order confirmation email.",
            )
        with session_scope() as session:
            verdict = orders.check_order(session, tracker.sender_id, order_id)
            order = orders.find_order(session, order_id)
            email = tracker.get_slot("order_email")
            mismatch = order is not None and email and order.email != email
        if verdict is orders.Verification.TOO_MANY_TRIES:
            return reject(dispatcher, "order_id", TOO_MANY_TRIES)
        if order is None:
            return reject(
                dispatcher,
                "order_id",
                f"I couldn't find an order {order_id}. Please check the number in your "
                "confirmation email and send it again.",
            )
        # An email given for another order must be asked again for this one.
        return {"order_id": order_id, **({"order_email": None} if mismatch else {})}

    def validate_order_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        email = orders.normalise_email(str(value or ""))
        if email is None:
            return reject(
                dispatcher,
                "order_email",
                "That doesn't look like an email address. Please send the email you "
                "placed the order with, like name@example.com.",
            )
        order_id = tracker.get_slot("order_id")
        if order_id is None:
            return {"order_email": email}
        with session_scope() as session:
            verdict = orders.check_order(session, tracker.sender_id, order_id, email)
        if verdict is orders.Verification.TOO_MANY_TRIES:
            return reject(dispatcher, "order_email", TOO_MANY_TRIES)
        if verdict is not orders.Verification.OK:
            return reject(
                dispatcher,
                "order_email",
                f"Sorry, that email doesn't match order {order_id}, so I can't share "
                "anything about it. Please use the email the order was placed with.",
            )
        return {"order_email": email}


class ValidateOrderStatusForm(VerifiedOrderValidation):
    def name(self) -> str:
        return "validate_order_status_form"


class ValidateReturnForm(VerifiedOrderValidation):
    def name(self) -> str:
        return "validate_return_form"

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = str(value or "").strip()
        if len(reason) < 3:
            return reject(dispatcher, "return_reason", "Could you tell me in a few words why?")
        return {"return_reason": reason}


def _verified_order(session: Any, tracker: Tracker) -> orders.Order | None:
    order_id, email = tracker.get_slot("order_id"), tracker.get_slot("order_email")
    if not (order_id and email):
        return None
    if orders.verify(session, order_id, email) is not orders.Verification.OK:
        return None
    return orders.find_order(session, order_id)


def order_text(order: orders.Order) -> str:
    items = "\n".join(
        f"- {line.quantity} × {line.title} — {format_price(float(line.unit_price))}"
        for line in order.lines
    )
    return (
        f"Order {order.id}, placed on {order.placed_on:%d %B %Y}: {order.status}. "
        f"{order.delivery_note}\n{items}\nTotal paid: {format_price(float(order.total))}."
    )


class ActionOrderStatus(Action):
    """Say how the verified order is doing."""

    def name(self) -> str:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with session_scope() as session:
            order = _verified_order(session, tracker)
            text = order_text(order) if order else None
        if text is None:
            dispatcher.utter_message(
                text="I couldn't verify that order. Let's try again: ask me about your order "
                "any time.",
                buttons=ORDER_STEPS[1:],
            )
            return [SlotSet("order_id", None), SlotSet("order_email", None)]
        dispatcher.utter_message(text=text, buttons=ORDER_STEPS)
        return []


class ActionSubmitReturn(Action):
    """Record a return request for a delivered, verified order."""

    def name(self) -> str:
        return "action_submit_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = tracker.get_slot("return_reason") or ""
        with session_scope() as session:
            order = _verified_order(session, tracker)
            if order is None:
                text = "I couldn't verify that order, so I haven't started a return."
            elif order.status != orders.RETURNABLE:
                text = (
                    f"Order {order.id} is {order.status}, so it can't be returned yet: returns "
                    "are for delivered orders."
                    if order.status != "cancelled"
                    else f"Order {order.id} was cancelled, so there's nothing to return."
                )
            else:
                request = orders.request_return(session, order, tracker.sender_id, reason)
                text = (
                    f"Your return for order {order.id} is requested (reference "
                    f"{request.reference}). We'll email {order.email} with pick-up details "
                    "within a day, and refund the price once the item is back."
                )
        dispatcher.utter_message(text=text, buttons=ORDER_STEPS[1:])
        return [SlotSet("return_reason", None)]
