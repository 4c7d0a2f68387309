"""Recorded conversations: every turn with its sentiment and the products shown, and the
conversation's flag, recomputed with support/flagging.py whenever a turn is added.

The gateway records each exchange (the shopper's message with Rasa's NLU annotation, the bot's
replies) as it relays it, so a conversation is flagged before the reply reaches the shopper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.database import Base
from support.flagging import SENTIMENT_LABELS, Assessment, Turn, assess

FLAGGED, REVIEWED = "flagged", "reviewed"
# What is kept of each product card shown: enough to show the card again (the shopper's history)
CARD_KEYS = (
    "id",
    "title",
    "brand",
    "size",
    "price",
    "price_text",
    "list_price_text",
    "rating",
    "reason",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # naive UTC: SQLite keeps no zone


class Conversation(Base):
    """One shopper's conversation; ``status`` is None until flagged, then flagged/reviewed."""

    __tablename__ = "support_conversations"

    sender_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now, index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str | None] = mapped_column(String(16), index=True, default=None)
    reason: Mapped[str | None] = mapped_column(String(64), default=None)
    tipping_turn: Mapped[int | None] = mapped_column(Integer, default=None)
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    turns: Mapped[list[TurnRecord]] = relationship(
        back_populates="conversation", order_by="TurnRecord.position", cascade="all"
    )


class TurnRecord(Base):
    """A message of a conversation: the shopper's (with sentiment, intent) or the bot's (with
    the products it showed)."""

    __tablename__ = "support_turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(
        ForeignKey("support_conversations.sender_id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64), default=None)
    sentiment_label: Mapped[str | None] = mapped_column(String(16), default=None)
    sentiment_score: Mapped[float | None] = mapped_column(Float, default=None)
    probabilities: Mapped[list[float] | None] = mapped_column(JSON, default=None)
    products: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    conversation: Mapped[Conversation] = relationship(back_populates="turns")

    def as_turn(self) -> Turn:
        probs = tuple(self.probabilities) if self.probabilities else None
        return Turn(
            self.speaker,  # type: ignore[arg-type]
            self.text,
            probs,  # type: ignore[arg-type]
            self.intent,
            tuple(p["id"] for p in self.products),
        )


@dataclass(frozen=True)
class Exchange:
    """What the gateway saw in one turn: the shopper's message with Rasa's parse, the replies."""

    sender_id: str
    text: str
    parse: dict[str, Any]
    replies: Sequence[dict[str, Any]]


def shown_products(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The products of a ``product_cards`` payload, with what a card shows, else none."""
    custom = reply.get("custom")
    if not isinstance(custom, dict) or custom.get("type") != "product_cards":
        return []
    return [{k: card.get(k) for k in CARD_KEYS} for card in custom.get("products", [])]


def reply_text(reply: dict[str, Any]) -> str:
    """What a reply says: its text, or the text form of a custom payload."""
    custom = reply.get("custom")
    return reply.get("text") or (custom.get("text", "") if isinstance(custom, dict) else "")


def record_exchange(session: Session, exchange: Exchange, threshold: float) -> Conversation:
    """Store the exchange's turns and recompute the conversation's score and flag.

    A reviewed conversation is flagged again when the turns since the review reach the
    threshold on their own; its score always follows the whole conversation.
    """
    conversation = session.get(Conversation, exchange.sender_id)
    if conversation is None:
        conversation = Conversation(sender_id=exchange.sender_id)
        session.add(conversation)
        session.flush()
    position = len(conversation.turns)
    sentiment = exchange.parse.get("sentiment") or {}
    probabilities = sentiment.get("probabilities") or {}
    records = [
        TurnRecord(
            position=position,
            speaker="customer",
            text=exchange.text,
            intent=(exchange.parse.get("intent") or {}).get("name"),
            sentiment_label=sentiment.get("label"),
            sentiment_score=sentiment.get("score"),
            probabilities=[float(probabilities.get(label, 0.0)) for label in SENTIMENT_LABELS]
            if probabilities
            else None,
            products=[],
        )
    ]
    for offset, reply in enumerate(exchange.replies, start=1):
        records.append(
            TurnRecord(
                position=position + offset,
                speaker="agent",
                text=reply_text(reply),
                products=shown_products(reply),
            )
        )
    conversation.turns.extend(records)
    session.flush()  # gives the new turns their created_at
    assessment = assess([t.as_turn() for t in conversation.turns], threshold)
    conversation.score = assessment.score
    conversation.updated_at = _now()
    if conversation.status is None:
        _flag(conversation, assessment, 0)
    elif conversation.status == REVIEWED and (reviewed_at := conversation.reviewed_at):
        # Only what the shopper said after the review can flag the conversation again.
        since = next(
            (t.position for t in conversation.turns if t.created_at > reviewed_at),
            len(conversation.turns),
        )
        turns = [t.as_turn() for t in conversation.turns[since:]]
        _flag(conversation, assess(turns, threshold), since)
    return conversation


def _flag(conversation: Conversation, assessment: Assessment, offset: int) -> None:
    """Flag the conversation when ``assessment`` (of its turns from ``offset`` on) says so."""
    if not assessment.flagged or assessment.tipping_turn is None:
        return
    conversation.status = FLAGGED
    conversation.reason = assessment.reason
    conversation.tipping_turn = offset + assessment.tipping_turn
    conversation.flagged_at = _now()


def flagged_conversations(
    session: Session,
    status: str | None = None,
    reason: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[Conversation]:
    """Flagged (or reviewed) conversations, the most recently flagged first."""
    query = select(Conversation).where(Conversation.status.is_not(None))
    if status:
        query = query.where(Conversation.status == status)
    if reason:
        query = query.where(Conversation.reason == reason)
    if since:
        query = query.where(Conversation.flagged_at >= since)
    if until:
        query = query.where(Conversation.flagged_at < until)
    return list(session.scalars(query.order_by(Conversation.flagged_at.desc()).limit(limit)))


def mark_reviewed(session: Session, sender_id: str) -> Conversation | None:
    """Mark a flagged conversation reviewed; None when there is no such flagged conversation."""
    conversation = session.get(Conversation, sender_id)
    if conversation is None or conversation.status is None:
        return None
    conversation.status = REVIEWED
    conversation.reviewed_at = _now()
    return conversation
