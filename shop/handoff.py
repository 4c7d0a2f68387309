"""Requests for a human. While a request is ``open`` (a person is answering live) the bot stays
quiet in that conversation; a ``queued`` request waits for the support team while the bot keeps
helping (no agent was online when the shopper asked). Either way it is in the support queue
until a person resolves it, hands the conversation back, or the shopper cancels it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base, session_scope
from core.settings import Settings

OPEN, QUEUED = "open", "queued"  # waiting: the bot is paused / the bot keeps helping
RESOLVED, HANDED_BACK, CANCELLED = "resolved", "handed_back", "cancelled"
WAITING = (OPEN, QUEUED)

# The shopper withdraws the request ("never mind, I'll keep browsing").
CANCELLATION = re.compile(
    r"^\s*(?:(?:oh\s+)?never\s*mind|nevermind|forget (?:it|that)|"
    r"cancel(?: (?:that|it|the request))?|no (?:need|thanks|thank you)|"
    r"(?:i'?ll|i will|let me) (?:just )?keep (?:browsing|looking|shopping))\b",
    re.I,
)


def is_cancellation(text: str) -> bool:
    """Whether the shopper's message withdraws their request for a person."""
    return bool(CANCELLATION.search(text))


class HandoffRequest(Base):
    """A shopper asked for a person; it stays until resolved, handed back or cancelled."""

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(
        DateTime, default=lambda: datetime.now(UTC).replace(tzinfo=None)
    )


def request_handoff(
    session: Session, sender_id: str, reason: str, status: str = OPEN
) -> HandoffRequest:
    """Record that this shopper is waiting for a person (one waiting request per shopper)."""
    request = waiting_request(session, sender_id)
    if request is None:
        request = HandoffRequest(sender_id=sender_id, reason=reason[:1000], status=status)
        session.add(request)
        session.flush()
    elif status == OPEN:
        request.status = OPEN
    return request


def waiting_request(session: Session, sender_id: str) -> HandoffRequest | None:
    """The shopper's open or queued request, if any."""
    return session.scalar(
        select(HandoffRequest).where(
            HandoffRequest.sender_id == sender_id, HandoffRequest.status.in_(WAITING)
        )
    )


def open_request(session: Session, sender_id: str) -> HandoffRequest | None:
    """The shopper's open request (the bot is paused for them), if any."""
    request = waiting_request(session, sender_id)
    return request if request is not None and request.status == OPEN else None


def waiting_requests(session: Session) -> list[HandoffRequest]:
    """Every open or queued request."""
    query = select(HandoffRequest).where(HandoffRequest.status.in_(WAITING))
    return list(session.scalars(query.order_by(HandoffRequest.created_at, HandoffRequest.id)))


def close_request(session: Session, sender_id: str, status: str) -> HandoffRequest | None:
    """Close the shopper's waiting request with ``status``; None when there was none."""
    request = waiting_request(session, sender_id)
    if request is not None:
        request.status = status
    return request


def waiting_for_person(sender_id: str, settings: Settings | None = None) -> bool:
    """Whether this shopper has an open hand-off request (the bot is paused for them)."""
    with session_scope(settings) as session:
        return open_request(session, sender_id) is not None
