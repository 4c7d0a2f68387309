"""Orders, their verification, and return requests.

A shopper sees an order only after giving its id and the email it was placed with. Order ids
are random (``AIS-`` and 8 characters of Crockford's base 32, about 10^12 of them), so they
cannot be enumerated, and :func:`check_order` refuses lookups after ``WRONG_TRIES_ALLOWED`` wrong
ids or emails in ``WRONG_TRIES_WINDOW``, from one shopper or for one order. The demo orders are
seeded deterministically from the catalogue (:func:`seed_demo_orders`), so the same ids, emails
and items exist on every machine; the README lists them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.database import Base
from retrieval.schema import Product

# AIS-7KQ2-M9XD (Crockford's base 32: no I, L, O or U); the first demo ids, AIS-1001, still read
ORDER_ID = re.compile(r"\bAIS[-\s]?([0-9A-HJKMNP-TV-Z]{4})[-\s]?([0-9A-HJKMNP-TV-Z]{4})\b", re.I)
LEGACY_ORDER_ID = re.compile(r"\bAIS[-\s]?(\d{3,6})\b", re.I)
WRONG_TRIES_ALLOWED = 5
WRONG_TRIES_WINDOW = timedelta(hours=1)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
RETURNABLE = "delivered"


class Order(Base):
    """An order placed by a shopper; ``status`` is processing, shipped, delivered or cancelled."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(32))
    placed_on: Mapped[date] = mapped_column(Date)
    delivery_note: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal(0))


class OrderLine(Base):
    """A product in an order, with the price it was bought at."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    order: Mapped[Order] = relationship(back_populates="lines")


class ReturnRequest(Base):
    """A shopper's request to return (part of) a delivered order."""

    __tablename__ = "return_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    sender_id: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: datetime.now(UTC))

    @property
    def reference(self) -> str:
        return f"RET-{self.id:05d}"


class WrongOrderTry(Base):
    """An order lookup that named no order, or the wrong email for one (rate limiting)."""

    __tablename__ = "wrong_order_tries"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    order_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def normalise_order_id(text: str) -> str | None:
    """``AIS-7KQ2-M9XD`` from "ais 7kq2m9xd", "order AIS-7KQ2-M9XD." and the like (``AIS-1001``
    from "ais 1001"); None when there is none."""
    if match := ORDER_ID.search(text or ""):
        return f"AIS-{match.group(1)}-{match.group(2)}".upper()
    match = LEGACY_ORDER_ID.search(text or "")
    return f"AIS-{match.group(1)}" if match else None


def normalise_email(text: str) -> str | None:
    """The first email address in ``text``, lower-cased; None when there is none."""
    match = EMAIL.search(text or "")
    return match.group(0).lower() if match else None


class Verification(enum.Enum):
    OK = "ok"
    NO_SUCH_ORDER = "no_such_order"
    EMAIL_MISMATCH = "email_mismatch"
    TOO_MANY_TRIES = "too_many_tries"


@dataclass(frozen=True)
class DemoOrder:
    id: str
    email: str
    status: str
    placed_on: date
    delivery_note: str
    items: tuple[tuple[int, int], ...]  # (catalogue position, quantity)


# Deterministic demo data: catalogue positions refer to the first products of the catalogue,
# so the orders exist for any slice of it (the tests use the first 3,000 rows).
DEMO_ORDERS = (
    DemoOrder("AIS-7KQ2-M9XD", "asha@example.com", "delivered", date(2024, 5, 2),
              "Delivered on 5 May 2024.", ((0, 1), (3, 2))),
    DemoOrder("AIS-H4TN-2WQ8", "ravi@example.com", "shipped", date(2024, 5, 20),
              "On its way; expected on 24 May 2024.", ((1, 1),)),
    DemoOrder("AIS-3RJF-8BVC", "meera@example.com", "processing", date(2024, 5, 22),
              "Being packed; it ships within 2 days.", ((5, 3), (8, 1))),
    DemoOrder("AIS-Q6WZ-5KPA", "asha@example.com", "cancelled", date(2024, 4, 11),
              "Cancelled on 12 April 2024; the refund was issued.", ((2, 1),)),
    DemoOrder("AIS-9XMD-C3TE", "john@example.com", "delivered", date(2024, 5, 15),
              "Delivered on 18 May 2024.", ((13, 1), (21, 2), (34, 1))),
)  # fmt: skip


def seed_demo_orders(session: Session, catalogue: Sequence[Product]) -> int:
    """Insert the demo orders that are missing, from the first priced products of
    ``catalogue``; returns how many were added (none for a catalogue without prices, such as
    Myntra's: an order line needs a price)."""
    existing = set(session.scalars(select(Order.id)))
    priced = [p for p in catalogue if p.price is not None]
    if not priced:
        return 0
    added = 0
    for demo in DEMO_ORDERS:
        if demo.id in existing:
            continue
        order = Order(
            id=demo.id,
            email=demo.email,
            status=demo.status,
            placed_on=demo.placed_on,
            delivery_note=demo.delivery_note,
        )
        for position, quantity in demo.items:
            product = priced[position % len(priced)]
            order.lines.append(
                OrderLine(
                    product_id=product.id,
                    title=product.title,
                    quantity=quantity,
                    unit_price=Decimal(str(product.price)),
                )
            )
        session.add(order)
        added += 1
    return added


def count_orders(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Order)) or 0


def find_order(session: Session, order_id: str) -> Order | None:
    return session.get(Order, order_id)


def verify(session: Session, order_id: str, email: str) -> Verification:
    """Whether ``email`` is the one ``order_id`` was placed with (case-insensitive)."""
    order = find_order(session, order_id)
    if order is None:
        return Verification.NO_SUCH_ORDER
    if order.email.casefold() != email.strip().casefold():
        return Verification.EMAIL_MISMATCH
    return Verification.OK


def check_order(
    session: Session, sender_id: str, order_id: str, email: str | None = None
) -> Verification:
    """Whether ``order_id`` exists (and, given ``email``, was placed with it), for a shopper's
    lookup: a wrong id or email is counted, and after ``WRONG_TRIES_ALLOWED`` of them in
    ``WRONG_TRIES_WINDOW`` by this shopper, or for this order, lookups are refused."""
    now = datetime.now(UTC)
    session.execute(delete(WrongOrderTry).where(WrongOrderTry.at < now - WRONG_TRIES_WINDOW))
    wrong = select(func.count()).where(WrongOrderTry.at >= now - WRONG_TRIES_WINDOW)
    by_shopper = session.scalar(wrong.where(WrongOrderTry.sender_id == sender_id)) or 0
    for_order = session.scalar(wrong.where(WrongOrderTry.order_id == order_id)) or 0
    if max(by_shopper, for_order) >= WRONG_TRIES_ALLOWED:
        return Verification.TOO_MANY_TRIES
    if email is None:
        verdict = Verification.OK if find_order(session, order_id) else Verification.NO_SUCH_ORDER
    else:
        verdict = verify(session, order_id, email)
    if verdict is not Verification.OK:
        session.add(WrongOrderTry(sender_id=sender_id, order_id=order_id, at=now))
    return verdict


def request_return(session: Session, order: Order, sender_id: str, reason: str) -> ReturnRequest:
    """Record a return request for a delivered order (the caller checks the status)."""
    request = ReturnRequest(order_id=order.id, sender_id=sender_id, reason=reason[:1000])
    session.add(request)
    session.flush()
    return request
