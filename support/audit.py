"""The audit trail of what the support team did with a shopper's data: who viewed, replied to,
exported or deleted which conversation, and when. Entries keep the shopper's id and never any
of their content, so they outlive a deletion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base
from profiles.tables import utcnow

VIEWED, REPLIED, HANDED_BACK, EXPORTED, DELETED = (
    "viewed",
    "replied",
    "handed_back",
    "exported",
    "deleted",
)


class AuditEntry(Base):
    __tablename__ = "support_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # an agent's e-mail, "api" or "cli:<user>"
    action: Mapped[str] = mapped_column(String(32))
    sender_id: Mapped[str] = mapped_column(String(128), index=True)


def audit(session: Session, actor: str, action: str, sender_id: str) -> None:
    session.add(AuditEntry(actor=actor, action=action, sender_id=sender_id))


def audit_trail(
    session: Session, sender_id: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest entries first, of one shopper or of all."""
    query = select(AuditEntry)
    if sender_id is not None:
        query = query.where(AuditEntry.sender_id == sender_id)
    return list(
        session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
    )
