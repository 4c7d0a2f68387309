"""``POST /api/chat``: the body and answer of Rasa's REST channel, with guards in front."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.api.deps import RasaDep, SettingsDep
from gateway.message_guard import check_message
from gateway.rasa_client import bot_text

router = APIRouter(tags=["chat"])


class ChatRequest(BaseModel):
    sender: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    # Unbounded here on purpose: oversized messages get a polite reply, not a 422.
    message: str = ""


@router.post("/api/chat")
async def chat(body: ChatRequest, rasa: RasaDep, settings: SettingsDep) -> list[dict[str, Any]]:
    """Relay one shopper message; answer with the bot's messages in Rasa's REST format."""
    verdict = check_message(body.message, settings.max_message_chars)
    if verdict.reply is not None:
        return [bot_text(body.sender, verdict.reply)]
    return await rasa.send(body.sender, verdict.text or "")
