"""``action_handoff``: put the shopper's request for a person in the support queue, honestly.

With an agent online (support/accounts.py) the bot pauses in this conversation until the person
hands it back or the shopper cancels; with none online the request waits in the queue and the
bot says so and keeps helping (a person's reply later pauses it, gateway/support_ops.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from core.database import session_scope
from shop.handoff import OPEN, QUEUED, request_handoff
from support.accounts import agents_online

HANDOFF_REPLY = (
    "I've asked our support team to join: someone is online now and will answer you right "
    'here. Anything you write now goes to them. Changed your mind? Say "never mind" and I\'ll '
    "keep helping."
)
NO_AGENT_REPLY = (
    "No one from our support team is online right now, so I can't say when a person will "
    "answer. I've left your request for them and they'll reply here when they're back. Until "
    "then I'm still here: tell me what you're looking for."
)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = tracker.latest_message.get("text") or "asked for a person"
        with session_scope() as session:
            online = agents_online(session) > 0
            request_handoff(session, tracker.sender_id, reason, OPEN if online else QUEUED)
        dispatcher.utter_message(text=HANDOFF_REPLY if online else NO_AGENT_REPLY)
        return [ConversationPaused()] if online else []
