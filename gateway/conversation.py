"""One shopper turn, whatever the channel: guards, hand-off pause, Rasa, turn recording.

The web chat route and every messaging channel relay through :func:`converse`, so guards,
live sentiment, flagging and hand-off apply to each of them alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from core.settings import Settings
from gateway.message_guard import check_message
from gateway.rasa_client import BotMessage, RasaClient, bot_text
from gateway.support_ops import cancel_handoff
from shop.handoff import is_cancellation, waiting_for_person

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
