"""Client message ids: a message that is sent again (a retry) is answered once.

The widget sends a ``message_id`` with each message and the same one when it retries; the
messaging channels use the platform's id of the update. The first answer is stored in the SQL
store under (shopper, message id) in the same per-shopper turn that relayed it; a retry gets the
stored answer and nothing reaches Rasa again (an answer still in gateway/turn_recording.py's spool
counts too), so a retried "add to cart" adds once. Answers are
kept for ``KEEP`` (retries come within seconds; platforms re-deliver within hours).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base, session_scope
from core.settings import Settings

KEEP = timedelta(days=2)


class AnsweredMessage(Base):
    """The answer given to one client message id of one shopper."""

    __tablename__ = "answered_messages"

    sender_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def earlier_answer(settings: Settings, sender: str, message_id: str) -> list[dict[str, Any]] | None:
    """The answer already given to this message id, or None when it is new."""
    with session_scope(settings) as session:
        return session.scalar(
            select(AnsweredMessage.replies).where(
                AnsweredMessage.sender_id == sender, AnsweredMessage.message_id == message_id
            )
        )


def remember_answer(
    session: Session, sender: str, message_id: str, replies: list[dict[str, Any]]
) -> None:
    """Store the answer to a message id; the shopper's answers older than ``KEEP`` go."""
    now = datetime.now(UTC)
    session.execute(
        delete(AnsweredMessage).where(
            AnsweredMessage.sender_id == sender, AnsweredMessage.at < now - KEEP
        )
    )
    session.merge(AnsweredMessage(sender_id=sender, message_id=message_id, replies=replies, at=now))
