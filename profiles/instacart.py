"""Instacart order lines: reading them, and importing them as purchase events.

Instacart orders carry no dates, only each order's ``days_since_prior_order``; an order's time
is placed that many days after the previous one, with the user's last order at ``reference``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind, utcnow
from retrieval.loaders import instacart as catalogue
from retrieval.loaders.reader import NotACatalogue, RowError, read_rows
from retrieval.schema import Product

REQUIRED = frozenset({"order_id", "user_id", "order_number", "product_id"})
SOURCE = "instacart"


@dataclass
class Order:
    order_id: str
    number: int
    days_since_prior: float
    product_ids: list[str] = field(default_factory=list)  # catalogue ids ("ic-…"), cart order


def shopper_id(user_id: str) -> str:
    """The profile id of an Instacart user."""
    return f"instacart-{user_id}"


def read_orders(path: Path) -> dict[str, list[Order]]:
    """Each user's orders, in order-number order. Raises NotACatalogue for a file that is not
    Instacart order lines."""
    orders: dict[str, dict[str, Order]] = defaultdict(dict)
    for item in read_rows(path, REQUIRED):
        if isinstance(item, RowError):
            raise NotACatalogue(f"not Instacart order lines: {item}")
        _, row = item
        order = orders[row["user_id"]].get(row["order_id"])
        if order is None:
            order = orders[row["user_id"]][row["order_id"]] = Order(
                row["order_id"],
                int(row["order_number"]),
                float(row.get("days_since_prior_order") or 0.0),
            )
        order.product_ids.append(f"ic-{row['product_id']}")
    return {user: sorted(by_id.values(), key=lambda o: o.number) for user, by_id in orders.items()}


def order_times(orders: list[Order], reference: datetime) -> list[datetime]:
    """When each order was placed, the last one at ``reference``."""
    days, elapsed = [], 0.0
    for index, order in enumerate(orders):
        elapsed += order.days_since_prior if index else 0.0
        days.append(elapsed)
    return [reference - timedelta(days=days[-1] - day) for day in days]


def purchase_events(
    user_id: str, orders: list[Order], products: dict[str, Product], reference: datetime
) -> Iterator[tuple[str, NewEvent]]:
    """One purchase event per order line (idempotent: keyed by order and product)."""
    for order, at in zip(orders, order_times(orders, reference), strict=True):
        for product_id in order.product_ids:
            yield (
                shopper_id(user_id),
                NewEvent(
                    kind=EventKind.PURCHASE,
                    product_id=product_id,
                    product=products.get(product_id),
                    at=at,
                    source=SOURCE,
                    dedup_key=f"{SOURCE}:{order.order_id}:{product_id}",
                ),
            )


def catalogue_products(data_dir: Path) -> dict[str, Product]:
    """The shared Instacart products by catalogue id (read from the data folder)."""
    return {
        item.id: item
        for item in catalogue.load(data_dir / catalogue.DEFAULT_FILE)
        if isinstance(item, Product)
    }


def import_orders(
    store: ProfileStore,
    orders: dict[str, list[Order]],
    products: dict[str, Product],
    reference: datetime | None = None,
    progress: Iterable[str] | None = None,
) -> int:
    """Record every order line as a purchase; returns the number of new events.
    ``progress`` wraps the user ids (e.g. a progress bar)."""
    reference = reference or utcnow()
    users = progress if progress is not None else orders
    return store.record(
        event
        for user in users
        for event in purchase_events(user, orders[user], products, reference)
    )
