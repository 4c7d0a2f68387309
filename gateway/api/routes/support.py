"""The support team's JSON API: the queue (hand-off requests, flagged and reviewed
conversations), transcripts with per-turn sentiment, marking reviewed, replying as a person and
handing back to the bot. Every route needs the support token; nothing here is open to shoppers.
Actions are audited as ``api``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from gateway.api.deps import SettingsDep, SupportAuth
from gateway.support_ops import hand_back, reply_as_person
from shop.handoff import waiting_request
from support.conversations import FLAGGED, REVIEWED, Conversation, mark_reviewed
from support.queue import HANDOFF, QueueFilter, queue
from support.rasa_tracker import RasaUnavailable

API_ACTOR = "api"

router = APIRouter(prefix="/api/support", tags=["support"], dependencies=[SupportAuth])


class Sentiment(BaseModel):
    label: str
    score: float


class TurnOut(BaseModel):
    position: int
    speaker: str
    text: str
    intent: str | None
    sentiment: Sentiment | None
    products: list[dict[str, Any]]
    created_at: datetime


class ConversationSummary(BaseModel):
    sender_id: str
    score: float
    status: str | None
    reason: str | None
    tipping_turn: int | None
    flagged_at: datetime | None
    reviewed_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, c: Conversation) -> ConversationSummary:
        return cls.model_validate(c, from_attributes=True)


class QueueEntry(BaseModel):
    """A row of the queue: ``status`` is handoff, flagged or reviewed; ``waiting`` is the
    hand-off request's state (open: the bot is paused; queued: the bot still helps)."""

    sender_id: str
    status: str
    reason: str | None
    score: float
    since: datetime
    channel: str
    assigned_to: str | None
    waiting: str | None
    tipping_turn: int | None


class PersonMessage(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class Transcript(ConversationSummary):
    turns: list[TurnOut]
    waiting: str | None = None  # the open (bot paused) or queued hand-off request

    @classmethod
    def of(cls, c: Conversation) -> Transcript:
        turns = [
            TurnOut(
                position=t.position,
                speaker=t.speaker,
                text=t.text,
                intent=t.intent,
                sentiment=Sentiment(label=t.sentiment_label, score=t.sentiment_score)
                if t.sentiment_label is not None and t.sentiment_score is not None
                else None,
                products=t.products,
                created_at=t.created_at,
            )
            for t in c.turns
        ]
        return cls(**ConversationSummary.of(c).model_dump(), turns=turns)


@router.get("/conversations")
async def list_queue(
    settings: SettingsDep,
    status: str | None = Query(None, pattern=f"^({HANDOFF}|{FLAGGED}|{REVIEWED})$"),
    reason: str | None = None,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[QueueEntry]:
    """The queue: hand-off requests first, then flagged and reviewed conversations; filter by
    status, reason, channel, time (of the request or the flag)."""

    def query() -> list[QueueEntry]:
        with session_scope(settings) as session:
            wanted = QueueFilter(status, reason, channel, since, until)
            return [QueueEntry(**vars(item)) for item in queue(session, wanted, limit)]

    return await run_in_threadpool(query)


@router.get("/conversations/{sender_id}")
async def transcript(sender_id: str, settings: SettingsDep) -> Transcript:
    """One conversation: every turn with its sentiment and the products shown."""

    def query() -> Transcript | None:
        with session_scope(settings) as session:
            conversation = session.get(Conversation, sender_id)
            if conversation is None:
                return None
            request = waiting_request(session, sender_id)
            transcript = Transcript.of(conversation)
            transcript.waiting = request.status if request else None
            return transcript

    found = await run_in_threadpool(query)
    if found is None:
        raise HTTPException(404, "no such conversation")
    return found


@router.post("/conversations/{sender_id}/review")
async def review(sender_id: str, settings: SettingsDep) -> ConversationSummary:
    """Mark a flagged conversation reviewed."""

    def update() -> ConversationSummary | None:
        with session_scope(settings) as session:
            conversation = mark_reviewed(session, sender_id)
            return ConversationSummary.of(conversation) if conversation else None

    found = await run_in_threadpool(update)
    if found is None:
        raise HTTPException(404, "no such flagged conversation")
    return found


RASA_DOWN: dict[int | str, dict[str, Any]] = {
    503: {"description": "Rasa's tracker API did not answer"}
}


@router.post("/conversations/{sender_id}/messages", responses=RASA_DOWN)
async def send_message(
    sender_id: str, body: PersonMessage, settings: SettingsDep, request: Request
) -> dict[str, int]:
    """Reply to the shopper as a person (on their platform too, for messaging shoppers); the
    bot pauses until the conversation is handed back."""
    channels = request.app.state.channels
    try:
        position = await reply_as_person(settings, channels, sender_id, API_ACTOR, body.text)
    except RasaUnavailable as error:
        raise HTTPException(503, str(error)) from error
    return {"position": position}


@router.post("/conversations/{sender_id}/handback", responses=RASA_DOWN)
async def handback(sender_id: str, settings: SettingsDep) -> dict[str, str]:
    """Resume the bot with the conversation's context (slots kept)."""
    try:
        await hand_back(settings, sender_id, API_ACTOR)
    except RasaUnavailable as error:
        raise HTTPException(503, str(error)) from error
    return {"status": "handed back"}
