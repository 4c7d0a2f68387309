"""The profile store: record shoppers' events and read their features back.

Writes are idempotent where the caller gives a ``dedup_key`` (imports), using the dialect's
``INSERT … ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL, both tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from core.database import create_tables, get_engine, session_scope
from core.settings import Settings, get_settings
from profiles.features import ShopperFeatures
from profiles.tables import Event, EventKind, Shopper, utcnow
from retrieval.schema import Product

_BATCH = 2000  # rows per INSERT statement in bulk writes


def _chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class NewEvent(BaseModel):
    """One event to record; ``product`` (when known) is snapshotted into the row."""

    kind: EventKind
    product_id: str | None = None
    product: Product | None = None
    at: datetime | None = None  # naive UTC; None = now
    query: str | None = None
    value: float | None = Field(default=None, ge=1, le=5)
    attributes: dict[str, str] = Field(default_factory=dict)
    source: str = "api"
    dedup_key: str | None = None

    def row(self, shopper_id: str) -> dict[str, Any]:
        product = self.product
        return {
            "shopper_id": shopper_id,
            "kind": self.kind.value,
            "at": self.at or utcnow(),
            "product_id": product.id if product else self.product_id,
            "query": self.query,
            "value": self.value,
            "attributes": self.attributes,
            "source": self.source,
            "dedup_key": self.dedup_key,
            "title": product.title if product else "",
            "brand": product.brand if product else "",
            "category": product.category_path if product else "",
            "price": product.price if product else None,
        }


class ProfileStore:
    """Shoppers and their events in the SQL store (settings.database_url)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.engine: Engine = get_engine(self.settings.database_url or "")
        create_tables(self.settings)

    def _insert(self, table: Any) -> Any:
        dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(self.engine.dialect.name)
        if dialect is None:
            raise RuntimeError(
                f"the profile store supports SQLite and PostgreSQL, not {self.engine.dialect.name}"
            )
        return dialect.insert(table).on_conflict_do_nothing()

    def record(self, events: Iterable[tuple[str, NewEvent]]) -> int:
        """Store ``(shopper_id, event)`` pairs, creating shoppers as needed; returns how many
        events were new (events whose dedup_key is already stored are skipped)."""
        before = self.count_events()
        with session_scope(self.settings) as session:
            for chunk in _chunks(events, _BATCH):
                shoppers = [{"id": sid, "created_at": utcnow()} for sid in {s for s, _ in chunk}]
                session.execute(self._insert(Shopper.__table__), shoppers)
                session.execute(
                    self._insert(Event.__table__), [event.row(sid) for sid, event in chunk]
                )
        return self.count_events() - before

    def events(self, shopper_id: str) -> list[Event]:
        """The shopper's events, oldest first (empty for an unknown shopper)."""
        with session_scope(self.settings) as session:
            query = select(Event).where(Event.shopper_id == shopper_id).order_by(Event.at, Event.id)
            return list(session.scalars(query))

    def features(self, shopper_id: str | None, now: datetime | None = None) -> ShopperFeatures:
        """The shopper's derived features (empty for an anonymous or unknown shopper)."""
        if not shopper_id:
            return ShopperFeatures.empty()
        return ShopperFeatures.from_events(
            self.events(shopper_id), now or utcnow(), self.settings.profile_half_life_days
        )

    def shoppers(self) -> Sequence[str]:
        with session_scope(self.settings) as session:
            return list(session.scalars(select(Shopper.id).order_by(Shopper.id)))

    def count_events(self) -> int:
        with session_scope(self.settings) as session:
            return session.scalar(select(func.count()).select_from(Event)) or 0
