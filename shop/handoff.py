"""Requests for a human: while one is open, the bot stays quiet in that conversation."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base, session_scope
from core.settings import Settings

OPEN = "open"


class HandoffRequest(Base):
    """A shopper asked for a person; the support team closes it when they have answered."""

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: datetime.now(UTC))


def request_handoff(session: Session, sender_id: str, reason: str) -> HandoffRequest:
    """Record that this shopper is waiting for a person (one open request per shopper)."""
    request = open_request(session, sender_id)
    if request is None:
        request = HandoffRequest(sender_id=sender_id, reason=reason[:1000], status=OPEN)
        session.add(request)
        session.flush()
    return request


def open_request(session: Session, sender_id: str) -> HandoffRequest | None:
    """The shopper's open hand-off request, if any."""
    return session.scalar(
        select(HandoffRequest).where(
            HandoffRequest.sender_id == sender_id, HandoffRequest.status == OPEN
        )
    )


def waiting_for_person(sender_id: str, settings: Settings | None = None) -> bool:
    """Whether this shopper has an open hand-off request (the bot is paused for them)."""
    with session_scope(settings) as session:
        return open_request(session, sender_id) is not None
