"""``POST /api/chat``: the body and answer of Rasa's REST channel, with guards in front."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import RasaDep, SettingsDep
from gateway.message_guard import check_message
from gateway.rasa_client import bot_text
from gateway.support_ops import cancel_handoff
from gateway.turn_recording import record_turn
from shop.handoff import is_cancellation, waiting_for_person

router = APIRouter(tags=["chat"])

HANDOFF_WAITING = (
    "A member of our support team will answer you here shortly; they can see your messages."
)


class ChatRequest(BaseModel):
    sender: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    # Unbounded here on purpose: oversized messages get a polite reply, not a 422.
    message: str = ""


@router.post("/api/chat")
async def chat(
    body: ChatRequest, rasa: RasaDep, settings: SettingsDep, background: BackgroundTasks
) -> list[dict[str, Any]]:
    """Relay one shopper message; answer with the bot's messages in Rasa's REST format.

    The turn is recorded for the support team just after the answer is sent, off its path."""
    verdict = check_message(body.message, settings.max_message_chars)
    if verdict.reply is not None:
        return [bot_text(body.sender, verdict.reply)]
    text = verdict.text or ""
    if is_cancellation(text) and (cancelled := await cancel_handoff(settings, body.sender, text)):
        return cancelled  # recorded there: the message never reached Rasa
    if await run_in_threadpool(waiting_for_person, body.sender, settings):
        # The bot is paused for this shopper: Rasa records the message for the person, who
        # answers; the shopper hears that rather than an apology for the bot's silence.
        await rasa.send(body.sender, verdict.text or "")
        replies = [bot_text(body.sender, HANDOFF_WAITING)]
    else:
        replies = await rasa.send(body.sender, verdict.text or "")
    background.add_task(record_turn, rasa, settings, body.sender, verdict.text or "", replies)
    return replies
