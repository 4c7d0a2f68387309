"""The support queue: requests for a person first, then flagged conversations, then reviewed
ones; notes and who is on a conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base
from profiles.tables import utcnow
from shop.handoff import OPEN, waiting_requests
from support.conversations import FLAGGED, REVIEWED, Conversation, flagged_conversations

HANDOFF = "handoff"
STATUSES = (HANDOFF, FLAGGED, REVIEWED)


class Note(Base):
    """A support agent's note on a conversation (never shown to the shopper)."""

    __tablename__ = "support_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    author: Mapped[str] = mapped_column(String(254))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Assignment(Base):
    """Who of the support team is on a conversation."""

    __tablename__ = "support_assignments"

    sender_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    agent: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


MESSAGING = frozenset({"telegram", "slack", "messenger", "whatsapp"})


def channel_of(sender_id: str) -> str:
    """The channel a sender id came in on (gateway/channels/ names them ``telegram-42``…);
    any other id is the web widget's."""
    prefix = sender_id.partition("-")[0]
    return prefix if prefix in MESSAGING else "web"


@dataclass(frozen=True)
class QueueItem:
    sender_id: str
    status: str  # handoff, flagged or reviewed
    reason: str | None
    score: float
    since: datetime  # when the request was made or the conversation flagged
    channel: str
    assigned_to: str | None
    waiting: str | None  # the hand-off request's status (open: the bot is paused; queued)
    tipping_turn: int | None


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    reason: str | None = None
    channel: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def queue(
    session: Session, wanted: QueueFilter = QueueFilter(), limit: int = 200
) -> list[QueueItem]:
    """Hand-off requests first, then flagged conversations, then reviewed ones (the newest
    first within each)."""
    assigned = {a.sender_id: a.agent for a in session.scalars(select(Assignment))}
    items: list[QueueItem] = []
    # Shoppers waiting with the bot paused first, then the others; the newest first in each.
    requests = sorted(
        waiting_requests(session), key=lambda r: (r.status != OPEN, -r.created_at.timestamp())
    )
    waiting = {r.sender_id for r in requests}
    for request in requests:
        conversation = session.get(Conversation, request.sender_id)
        items.append(
            QueueItem(
                request.sender_id,
                HANDOFF,
                "asked for a person",
                conversation.score if conversation else 0.0,
                request.created_at,
                channel_of(request.sender_id),
                assigned.get(request.sender_id),
                request.status,
                conversation.tipping_turn if conversation else None,
            )
        )
    flagged = flagged_conversations(session, limit=limit)  # the newest flag first
    for c in sorted(flagged, key=lambda c: c.status == REVIEWED):
        if c.sender_id not in waiting:
            items.append(
                QueueItem(
                    c.sender_id,
                    c.status or FLAGGED,
                    c.reason,
                    c.score,
                    c.flagged_at or c.updated_at,
                    channel_of(c.sender_id),
                    assigned.get(c.sender_id),
                    None,
                    c.tipping_turn,
                )
            )
    return [item for item in items if _matches(item, wanted)][:limit]


def _matches(item: QueueItem, wanted: QueueFilter) -> bool:
    return (
        (not wanted.status or item.status == wanted.status)
        and (not wanted.reason or item.reason == wanted.reason)
        and (not wanted.channel or item.channel == wanted.channel)
        and (wanted.since is None or item.since >= wanted.since)
        and (wanted.until is None or item.since < wanted.until)
    )


def add_note(session: Session, sender_id: str, author: str, text: str) -> Note:
    note = Note(sender_id=sender_id, author=author, text=text)
    session.add(note)
    return note


def notes(session: Session, sender_id: str) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.sender_id == sender_id).order_by(Note.at)))


def assign(session: Session, sender_id: str, agent: str) -> None:
    """Put ``agent`` on the conversation (replacing whoever was)."""
    row = session.get(Assignment, sender_id) or Assignment(sender_id=sender_id, agent=agent)
    row.agent, row.at = agent, utcnow()
    session.add(row)
