"""The shopper's chat: ``POST /api/session``, ``POST /api/chat`` (Rasa's REST body and answer,
guards in front) and ``GET /api/chat/messages`` (the conversation so far).

Every chat route takes the shopper from ``Authorization: Bearer <session token>``; a body or
query ``sender`` may repeat it, never name someone else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from gateway.api.deps import OptionalShopperDep, RasaDep, SettingsDep, ShopperDep, same_shopper
from gateway.conversation import answer_once
from gateway.limits import Busy, too_many
from gateway.message_feed import FeedMessage, conversation_feed
from gateway.sessions import issue_token, new_sender_id

router = APIRouter(tags=["chat"])

SENDER_PATTERN = r"^[A-Za-z0-9_.:-]+$"


class SessionOut(BaseModel):
    sender_id: str
    token: str
    expires_in: int


class ChatRequest(BaseModel):
    sender: str | None = Field(None, min_length=1, max_length=128, pattern=SENDER_PATTERN)
    # Unbounded here on purpose: oversized messages get a polite reply, not a 422.
    message: str = ""
    # The client's id of this message, the same when it sends it again: answered once
    message_id: str | None = Field(None, min_length=1, max_length=128, pattern=SENDER_PATTERN)


@router.post("/api/session")
async def start_session(settings: SettingsDep, current: OptionalShopperDep) -> SessionOut:
    """A new shopper session; with a still-valid token, the same shopper's renewed token."""
    sender = current or new_sender_id()
    return SessionOut(
        sender_id=sender, token=issue_token(settings, sender), expires_in=settings.session_ttl_s
    )


@router.post(
    "/api/chat",
    responses={429: {"description": "too many messages, or two already in flight; Retry-After"}},
)
async def chat(
    request: Request, body: ChatRequest, shopper: ShopperDep, rasa: RasaDep, settings: SettingsDep
) -> Any:
    """Relay one shopper message; answer with the bot's messages in Rasa's REST format.

    A shopper's messages are relayed one at a time: a second one sent before the first is
    answered waits its turn (a third is refused with 429). The turn is recorded for the
    support team before the answer returns, so the transcript keeps each message's own parse
    and the order the shopper sent them in. A ``message_id`` answered before gets the same
    answer again and is not relayed a second time."""
    sender = same_shopper(shopper, body.sender)
    wait = request.app.state.per_session.retry_after(sender)
    if wait:
        return too_many(wait, "you are sending messages very fast; please wait a moment")
    try:
        async with request.app.state.turns.turn(sender):
            answer = await answer_once(rasa, settings, sender, body.message, body.message_id)
    except Busy:
        return too_many(1, "your previous messages are still being answered; one moment")
    return answer.replies


@router.get("/api/chat/messages")
async def messages(
    shopper: ShopperDep,
    settings: SettingsDep,
    sender: str | None = Query(None, max_length=128, pattern=SENDER_PATTERN),
    after: int = Query(-1, ge=-1, le=2**31, description="only messages after this position"),
) -> list[FeedMessage]:
    """The shopper's conversation (their messages, the bot's and a person's replies)."""
    sender = same_shopper(shopper, sender)

    def read() -> list[FeedMessage]:
        with session_scope(settings) as session:
            return conversation_feed(session, sender, after)

    return await run_in_threadpool(read)
