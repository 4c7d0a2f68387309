"""``action_handoff``: record the request for a person and pause the bot in this conversation.

While the request is open the gateway tells the shopper a person will answer (see
``gateway/api/routes/chat.py``); the support team answers and resumes the conversation.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from core.database import session_scope
from shop.handoff import request_handoff

HANDOFF_REPLY = (
    "I've asked a member of our support team to join. They'll answer you right here, usually "
    "within a few minutes; anything you write now goes straight to them."
)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = tracker.latest_message.get("text") or "asked for a person"
        with session_scope() as session:
            request_handoff(session, tracker.sender_id, reason)
        dispatcher.utter_message(text=HANDOFF_REPLY)
        return [ConversationPaused()]
