"""Each shopper's cart, kept server-side per sender id, and its exact totals.

The cart stores product ids and quantities only; prices are read from the catalogue whenever the
cart is shown, so a total is always the catalogue's current price times the quantity, computed
in decimal arithmetic, never by a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    DateTime,
    Delete,
    Integer,
    String,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.database import Base
from retrieval.schema import Product

MAX_QUANTITY = 99


class CartItem(Base):
    """One product line in a shopper's cart."""

    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("sender_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    product_id: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: datetime.now(UTC))


def add_item(session: Session, sender_id: str, product_id: str, quantity: int = 1) -> int:
    """Add ``quantity`` of a product (capped at MAX_QUANTITY); returns the new quantity."""
    item = session.scalar(
        select(CartItem).where(CartItem.sender_id == sender_id, CartItem.product_id == product_id)
    )
    if item is None:
        item = CartItem(sender_id=sender_id, product_id=product_id, quantity=0)
        session.add(item)
    item.quantity = min(MAX_QUANTITY, item.quantity + max(1, quantity))
    return item.quantity


def remove_items(session: Session, sender_id: str, product_ids: Sequence[str]) -> int:
    """Remove these products from the cart; returns how many lines were removed."""
    return _deleted(
        session,
        delete(CartItem).where(
            CartItem.sender_id == sender_id, CartItem.product_id.in_(list(product_ids))
        ),
    )


def clear(session: Session, sender_id: str) -> int:
    """Empty the cart; returns how many lines were removed."""
    return _deleted(session, delete(CartItem).where(CartItem.sender_id == sender_id))


def _deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE; how many rows it removed."""
    # A DML statement's result is a CursorResult; Session.execute is typed with the base Result.
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount or 0


def quantities(session: Session, sender_id: str) -> dict[str, int]:
    """Product id -> quantity, in the order the products were first added."""
    rows = session.scalars(
        select(CartItem).where(CartItem.sender_id == sender_id).order_by(CartItem.id)
    )
    return {row.product_id: row.quantity for row in rows}


@dataclass(frozen=True)
class CartLine:
    """A product in the cart with its quantity and exact line total."""

    product: Product
    quantity: int

    @property
    def unit_price(self) -> Decimal:
        return Decimal(str(self.product.price or 0))

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CartSummary:
    """The priced cart: lines in cart order, item count, grand total and products gone missing."""

    lines: tuple[CartLine, ...]
    unavailable: tuple[str, ...] = ()

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def product_ids(self) -> list[str]:
        return [line.product.id for line in self.lines]


def price_cart(quantities_by_id: dict[str, int], products: Sequence[Product]) -> CartSummary:
    """Price a cart from catalogue products; ids the catalogue no longer has (or that have no
    price) are reported as unavailable rather than priced."""
    by_id = {p.id: p for p in products if p.price is not None}
    lines = tuple(
        CartLine(by_id[pid], qty) for pid, qty in quantities_by_id.items() if pid in by_id
    )
    missing = tuple(pid for pid in quantities_by_id if pid not in by_id)
    return CartSummary(lines=lines, unavailable=missing)
