"""What the support team does to a conversation, shared by the console and the support API:
reply as a person (the bot pauses), hand back to the bot, resolve. Each runs in a worker thread
because it talks to the SQL store and to Rasa's tracker API."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from core.settings import Settings
from gateway.channels.base import Channels
from gateway.channels.outbound import push
from shop.handoff import (
    HANDED_BACK,
    OPEN,
    RESOLVED,
    close_request,
    request_handoff,
)
from support.audit import HANDED_BACK as AUDIT_HANDED_BACK
from support.audit import REPLIED, audit
from support.conversations import (
    BOT,
    Conversation,
    TurnRecord,
    add_person_message,
    mark_reviewed,
)
from support.rasa_tracker import RasaTrackers

BACK_WITH_BOT = "You're chatting with the shopping assistant again. What can I find for you?"


async def reply_as_person(
    settings: Settings, channels: Channels, sender_id: str, actor: str, text: str
) -> int:
    """Send a person's reply to the shopper: their feed shows it, and a messaging shopper gets
    it on their platform. The bot stays paused until the conversation is handed back. Returns
    the message's position in the conversation."""

    def run() -> int:
        with session_scope(settings) as session:
            request_handoff(session, sender_id, "a support agent joined", OPEN)
            position = add_person_message(session, sender_id, text).position
            audit(session, actor, REPLIED, sender_id)
        RasaTrackers(settings).pause(sender_id)  # a paused tracker stays paused
        return position

    position = await run_in_threadpool(run)
    await push(channels, sender_id, text)
    return position


async def hand_back(settings: Settings, sender_id: str, actor: str, resolved: bool = False) -> None:
    """Resume the bot where the conversation was (slots kept) and tell the shopper; with
    ``resolved`` the request is closed as resolved and the conversation marked reviewed."""

    def run() -> None:
        RasaTrackers(settings).resume(sender_id)
        with session_scope(settings) as session:
            if close_request(session, sender_id, RESOLVED if resolved else HANDED_BACK):
                _bot_says(session, sender_id, BACK_WITH_BOT)
            if resolved:
                mark_reviewed(session, sender_id)
            audit(session, actor, AUDIT_HANDED_BACK, sender_id)

    await run_in_threadpool(run)


def _bot_says(session: Session, sender_id: str, text: str) -> None:
    conversation = session.get(Conversation, sender_id)
    if conversation is not None:
        conversation.turns.append(
            TurnRecord(position=len(conversation.turns), speaker=BOT, text=text, products=[])
        )
