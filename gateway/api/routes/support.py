"""The support team's JSON API: flagged conversations, transcripts with per-turn sentiment,
marking a conversation reviewed. Every route needs the support token; nothing here is open to
shoppers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from gateway.api.deps import SettingsDep, SupportAuth
from support.conversations import (
    FLAGGED,
    REVIEWED,
    Conversation,
    flagged_conversations,
    mark_reviewed,
)

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


class Transcript(ConversationSummary):
    turns: list[TurnOut]

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
async def list_flagged(
    settings: SettingsDep,
    status: str | None = Query(None, pattern=f"^({FLAGGED}|{REVIEWED})$"),
    reason: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[ConversationSummary]:
    """Flagged conversations, newest flag first; filter by status, reason, flag time."""

    def query() -> list[ConversationSummary]:
        with session_scope(settings) as session:
            rows = flagged_conversations(session, status, reason, since, until, limit)
            return [ConversationSummary.of(c) for c in rows]

    return await run_in_threadpool(query)


@router.get("/conversations/{sender_id}")
async def transcript(sender_id: str, settings: SettingsDep) -> Transcript:
    """One conversation: every turn with its sentiment and the products shown."""

    def query() -> Transcript | None:
        with session_scope(settings) as session:
            conversation = session.get(Conversation, sender_id)
            return Transcript.of(conversation) if conversation else None

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
