"""Support agents and admins: argon2-hashed passwords, roles, and who is online.

An agent counts as online while they have used the console in the last ``ONLINE_WINDOW``; the
bot's hand-off reply says whether anyone is (actions/handoff.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base
from profiles.tables import utcnow

AGENT, ADMIN = "agent", "admin"
ONLINE_WINDOW = timedelta(minutes=10)
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Agent(Base):
    """A person of the support team."""

    __tablename__ = "support_agents"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=AGENT)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def normalise_email(email: str) -> str:
    return email.strip().lower()


def add_agent(session: Session, email: str, password: str, admin: bool = False) -> Agent:
    """Create the agent, or set a new password and role for an existing one."""
    if len(password) < 8:
        raise ValueError("the password needs at least 8 characters")
    email = normalise_email(email)
    if "@" not in email:
        raise ValueError(f"not an e-mail address: {email!r}")
    agent = session.get(Agent, email) or Agent(email=email)
    agent.password_hash = _hasher.hash(password)
    agent.role = ADMIN if admin else AGENT
    session.add(agent)
    return agent


def authenticate(session: Session, email: str, password: str) -> Agent | None:
    """The agent when the password is theirs, else None; marks them online."""
    agent = session.get(Agent, normalise_email(email))
    try:
        _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if agent is None:
        return None
    agent.last_seen_at = utcnow()
    return agent


def seen(session: Session, email: str) -> Agent | None:
    """The agent of a console session, marked online; None when the account is gone."""
    agent = session.get(Agent, email)
    if agent is not None:
        agent.last_seen_at = utcnow()
    return agent


def agents_online(session: Session, now: datetime | None = None) -> int:
    """How many agents used the console within ONLINE_WINDOW."""
    since = (now or utcnow()) - ONLINE_WINDOW
    return session.scalar(select(func.count()).where(Agent.last_seen_at >= since)) or 0
