"""Tables of the profile store: shoppers and what they did (SQLAlchemy 2 ORM).

An event keeps a snapshot of the product as it was (title, brand, category path, price), so
features never need the catalogue and a later price change does not rewrite the past.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.database import Base


class EventKind(StrEnum):
    """What a shopper did with a product (or, for ``search``, typed)."""

    SEARCH = "search"
    VIEW = "view"
    CLICK = "click"
    ADD_TO_CART = "add_to_cart"
    PURCHASE = "purchase"
    RATING = "rating"
    REJECTED = "rejected"  # turned down in chat ("not that one", "too expensive")


def utcnow() -> datetime:
    """Now in UTC, naive: every timestamp in the store is naive UTC (SQLite keeps no zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Shopper(Base):
    __tablename__ = "shoppers"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    events: Mapped[list[Event]] = relationship(
        back_populates="shopper", cascade="all, delete-orphan", passive_deletes=True
    )


class Event(Base):
    __tablename__ = "shopper_events"
    __table_args__ = (Index("ix_shopper_events_shopper_at", "shopper_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    product_id: Mapped[str | None] = mapped_column(String(128))
    query: Mapped[str | None] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)  # rating stars (1-5)
    # Attributes the shopper turned down with a rejection, e.g. {"brand": "Dove", "colour": "red"}
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(32), default="api")
    # Set by imports: a second import of the same line is skipped, not duplicated
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(Text, default="")  # path, " > " between levels
    price: Mapped[float | None] = mapped_column(Float)

    shopper: Mapped[Shopper] = relationship(back_populates="events")
