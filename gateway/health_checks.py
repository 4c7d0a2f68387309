"""What ``GET /healthz`` checks beyond "the process answers": each one does real work.

- the catalogue has products (a count through the product store, and for the embedded store
  its file still on disk);
- the SQL store accepts a write (an upsert of this gateway's heartbeat row, committed);
- Rasa has a model loaded (:meth:`gateway.rasa_client.RasaClient.is_up`);
- the action server answers its ``/health`` at ``AISLE_ACTION_HOST`` (where Rasa reaches it).

Each blocking check runs in a worker thread and counts as failed after ``CHECK_TIMEOUT_S``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from starlette.concurrency import run_in_threadpool

from core.database import Base, session_scope
from core.settings import Settings
from retrieval.store import ProductStore

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 3.0
GATEWAY_ID = f"gateway@{socket.gethostname()}:{os.getpid()}"


class Heartbeat(Base):
    """The last time each gateway process wrote to the SQL store (its health check)."""

    __tablename__ = "heartbeats"

    process: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def write_heartbeat(settings: Settings) -> bool:
    """Upsert this process's heartbeat row; True when the store took the write."""
    with session_scope(settings) as session:
        session.merge(Heartbeat(process=GATEWAY_ID, at=datetime.now(UTC)))
    return True


def has_products(store: ProductStore) -> bool:
    """The store holds products. An embedded store's file must still be on disk: one deleted
    under the running gateway goes on answering counts from the connection it had open."""
    settings = store.settings
    return (settings.chroma_url is not None or settings.chroma_file.exists()) and (
        store.stored_count() > 0
    )


async def within_timeout(check: Callable[[], bool]) -> bool:
    """Run a blocking check in a thread; False when it raises or outlasts the timeout."""
    try:
        return await asyncio.wait_for(run_in_threadpool(check), CHECK_TIMEOUT_S)
    except Exception:
        logger.warning("health check %s failed", check, exc_info=True)
        return False


async def http_ok(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return (await client.get(url)).status_code == 200
    except httpx.HTTPError:
        return False
