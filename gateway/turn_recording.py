"""Record each turn for the support team (support/conversations.py), durably and in order.

A turn is the shopper's message with Rasa's parse of it (intent, sentiment; read from Rasa's
tracker store, where Rasa wrote it before answering), the bot's replies, and the answer to the
client's message id (support/answered_messages.py).
It is written to the SQL store before the reply returns. When the store does not take it within
``DIRECT_WRITE_TIMEOUT_S`` (locked, unwritable, down), the turn goes to the **spool**, an
append-only JSON-lines file under the state folder (fsync'ed), and the shopper still gets the
reply. While the spool holds turns, new ones join it behind them, so each conversation keeps its
order; :func:`replay` writes them to the store in order once it takes writes again and drops
them from the spool. Each turn has an id, stored in the same transaction as its rows
(``recorded_turns``), so a turn is stored once even when a write that timed out commits later
or two gateways replay the same spool.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import DateTime, String, delete
from sqlalchemy.orm import Mapped, mapped_column
from starlette.concurrency import run_in_threadpool

from core.database import Base, session_scope
from core.settings import Settings
from support.answered_messages import KEEP, remember_answer
from support.conversations import Exchange, record_exchange

logger = logging.getLogger(__name__)

DIRECT_WRITE_TIMEOUT_S = 3.0
SPOOL_NAME = "turn-spool.jsonl"
REPLAY_INTERVAL_S = 2.0


class RecordedTurn(Base):
    """The id of each turn stored, so that a turn is never stored twice."""

    __tablename__ = "recorded_turns"

    turn_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass(frozen=True)
class TurnEntry:
    """One turn to store: ``text`` is None when a guard answered (nothing reached Rasa), and
    only the answer to ``message_id`` is kept."""

    sender: str
    text: str | None
    parse: dict[str, Any]
    replies: list[dict[str, Any]]
    message_id: str | None = None
    turn_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def store(settings: Settings, entry: TurnEntry) -> None:
    """Write the turn to the SQL store in one transaction, unless it is there already."""
    now = datetime.now(UTC)
    with session_scope(settings) as session:
        if session.get(RecordedTurn, entry.turn_id) is not None:
            return
        if entry.text is not None:
            exchange = Exchange(entry.sender, entry.text, entry.parse, entry.replies)
            record_exchange(session, exchange, settings.flag_threshold)
        if entry.message_id is not None:
            remember_answer(session, entry.sender, entry.message_id, entry.replies)
        session.execute(delete(RecordedTurn).where(RecordedTurn.at < now - KEEP))
        session.add(RecordedTurn(turn_id=entry.turn_id, at=now))


class TurnSpool:
    """The append-only file of turns waiting for the SQL store; ``flock`` guards it across
    threads and processes (each call opens the file on its own)."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.state_dir / SPOOL_NAME

    def pending(self) -> bool:
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    def append(self, entry: TurnEntry) -> None:
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        with self._locked() as file:
            file.seek(0, os.SEEK_END)
            file.write(line)
            file.flush()
            os.fsync(file.fileno())

    def count(self) -> int:
        """How many turns wait (0 without opening the file when it is empty or missing)."""
        return len(self.entries()) if self.pending() else 0

    def entries(self) -> list[TurnEntry]:
        with self._locked() as file:
            return _parse(file.read())

    def answer(self, sender: str, message_id: str) -> list[dict[str, Any]] | None:
        """The replies spooled for a message id, or None."""
        if not self.pending():
            return None
        found = (e for e in self.entries() if (e.sender, e.message_id) == (sender, message_id))
        return next((e.replies for e in found), None)

    def discard(self, turn_ids: set[str]) -> None:
        """Drop the stored turns; turns appended meanwhile stay (rewritten in place)."""
        with self._locked() as file:
            kept = [e for e in _parse(file.read()) if e.turn_id not in turn_ids]
            file.seek(0)
            file.truncate()
            file.writelines(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in kept)
            file.flush()
            os.fsync(file.fileno())

    @contextlib.contextmanager
    def _locked(self) -> Iterator[IO[str]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.seek(0)
            yield file  # closing the file releases the lock


def _parse(text: str) -> list[TurnEntry]:
    entries = []
    for line in text.splitlines():
        try:
            entries.append(TurnEntry(**json.loads(line)))
        except (ValueError, TypeError):  # a line torn by a crash mid-append: nothing to keep
            logger.error("skipping an unreadable spooled turn: %.200s", line)
    return entries


def replay(settings: Settings) -> int:
    """Store the spooled turns in order, stopping at the first the store refuses; returns how
    many were stored. The store is written outside the spool's lock, so appends never wait
    for a store that hangs."""
    spool = TurnSpool(settings)
    if not spool.pending():
        return 0
    stored: set[str] = set()
    try:
        for entry in spool.entries():
            store(settings, entry)
            stored.add(entry.turn_id)
    except Exception:
        logger.warning("the SQL store still refuses spooled turns", exc_info=True)
    if stored:
        spool.discard(stored)
        logger.warning("stored %d spooled turns", len(stored))
    return len(stored)


async def record_turn(settings: Settings, entry: TurnEntry) -> None:
    """Store the turn before the reply returns, or spool it; never fails a chat turn."""
    spool = TurnSpool(settings)
    if not await run_in_threadpool(spool.pending):  # behind earlier turns, in order
        try:
            await asyncio.wait_for(
                run_in_threadpool(store, settings, entry), DIRECT_WRITE_TIMEOUT_S
            )
            return
        except Exception:
            logger.warning("SQL store refused the turn of %s; spooling it", entry.sender)
    await run_in_threadpool(spool.append, entry)


async def replay_forever(settings: Settings, interval_s: float) -> None:
    """The gateway's background task: replay the spool every ``interval_s``."""
    while True:
        try:
            await run_in_threadpool(replay, settings)
        except Exception:
            logger.exception("replaying the turn spool failed")
        await asyncio.sleep(interval_s)
