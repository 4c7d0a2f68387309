"""One shopper turn, whatever the channel: guards, hand-off pause, Rasa, turn recording.

The web chat route and every messaging channel relay through :func:`answer_once`, so guards,
live sentiment, flagging, hand-off and retried-message handling apply to each of them alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from core.settings import Settings
from gateway.message_guard import check_message
from gateway.rasa_client import BotMessage, RasaClient, bot_text
from gateway.turn_recording import TurnEntry, TurnSpool, record_turn
from shop.handoff import CANCELLED, OPEN, is_cancellation, waiting_for_person, waiting_request
from support.answered_messages import earlier_answer
from support.conversations import Exchange, record_exchange
from support.rasa_tracker import RasaTrackers

HANDOFF_WAITING = (
    'Your messages go to our support team, and a person will answer you here. Say "never '
    'mind" to go back to the shopping assistant.'
)


@dataclass(frozen=True)
class TurnResult:
    """The replies for the shopper; ``relayed`` is the cleaned message when it reached Rasa
    (the turn to record), None when a guard answered instead."""

    replies: list[BotMessage]
    relayed: str | None


async def converse(rasa: RasaClient, settings: Settings, sender: str, raw: str) -> TurnResult:
    """Relay one shopper message and return what to answer."""
    verdict = check_message(raw, settings.max_message_chars)
    if verdict.text is None:
        return TurnResult([bot_text(sender, verdict.reply or "")], None)
    if is_cancellation(verdict.text) and (
        cancelled := await cancel_handoff(settings, sender, verdict.text)
    ):
        return TurnResult(cancelled, None)  # recorded there; the message never reached Rasa
    if await run_in_threadpool(waiting_for_person, sender, settings):
        # The bot is paused for this shopper: Rasa records the message for the person, who
        # answers; the shopper hears that rather than an apology for the bot's silence.
        await rasa.send(sender, verdict.text)
        return TurnResult([bot_text(sender, HANDOFF_WAITING)], verdict.text)
    return TurnResult(await rasa.send(sender, verdict.text), verdict.text)


@dataclass(frozen=True)
class Answer:
    """The replies to one message; ``repeated`` when its message id was answered before."""

    replies: list[BotMessage]
    repeated: bool = False


async def answer_once(
    rasa: RasaClient, settings: Settings, sender: str, raw: str, message_id: str | None
) -> Answer:
    """Relay one message and record the turn; a message id answered before gets the earlier
    answer and reaches nothing. Call it inside the shopper's turn (one message at a time), so
    a retry sent while the first is still relayed waits for it and finds its answer."""
    if message_id is not None:
        earlier = await run_in_threadpool(answered_before, settings, sender, message_id)
        if earlier is not None:
            return Answer(earlier, repeated=True)
    result = await converse(rasa, settings, sender, raw)
    if result.relayed is not None or message_id is not None:
        trackers = RasaTrackers(settings)  # Rasa wrote the parse there before answering
        parse = (
            await run_in_threadpool(trackers.latest_parse, sender)
            if result.relayed is not None
            else {}
        )
        entry = TurnEntry(sender, result.relayed, parse, result.replies, message_id)
        await record_turn(settings, entry)
    return Answer(result.replies)


def answered_before(settings: Settings, sender: str, message_id: str) -> list[BotMessage] | None:
    """The answer already given to a message id (stored, or still spooled), or None."""
    spooled = TurnSpool(settings).answer(sender, message_id)
    return spooled if spooled is not None else earlier_answer(settings, sender, message_id)


HANDOFF_CANCELLED = (
    "Okay, I've cancelled the request for a person. I'm here to help: what are you looking for?"
)


async def cancel_handoff(settings: Settings, sender_id: str, text: str) -> list[BotMessage]:
    """The shopper withdrew their request for a person: close it, resume the bot if it was
    paused, record the turn; returns the reply, or none when nothing was waiting."""

    def run() -> list[BotMessage]:
        with session_scope(settings) as session:
            request = waiting_request(session, sender_id)
            if request is None:
                return []
            paused, request.status = request.status == OPEN, CANCELLED
            replies = [bot_text(sender_id, HANDOFF_CANCELLED)]
            record_exchange(
                session, Exchange(sender_id, text, {}, replies), settings.flag_threshold
            )
        if paused:
            RasaTrackers(settings).resume(sender_id)
        return replies

    return await run_in_threadpool(run)
