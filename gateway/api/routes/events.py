"""``POST /api/events``: the store page reports what a shopper viewed, clicked, carted or rated.

The shopper is the one of the session token (``Authorization: Bearer``). Only product ids come
from the page; the product itself (title, brand, category, price) is read
from the catalogue, so a page cannot put made-up products or prices into a profile. Purchases
and chat rejections are recorded server-side, never from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from gateway.api.deps import SettingsDep, ShopperDep, same_shopper
from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind
from retrieval.schema import Product

router = APIRouter(tags=["events"])

ProductLookup = Callable[[Sequence[str]], list[Product]]


class PageEvent(BaseModel):
    kind: Literal["view", "click", "add_to_cart", "rating"]
    product_id: str = Field(min_length=1, max_length=128)
    value: float | None = Field(default=None, ge=1, le=5)  # stars, for a rating


class EventsRequest(BaseModel):
    sender: str | None = Field(None, min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    events: list[PageEvent] = Field(min_length=1, max_length=100)


class EventsResponse(BaseModel):
    recorded: int
    unknown_products: list[str]


def get_profile_store(settings: SettingsDep) -> ProfileStore:
    return ProfileStore(settings)


def get_product_lookup(settings: SettingsDep) -> ProductLookup:
    from retrieval.search import get_products  # Chroma: load on first use

    return partial(get_products, settings=settings)


@router.post("/api/events", status_code=202)
def record_events(
    body: EventsRequest,
    shopper: ShopperDep,
    store: Annotated[ProfileStore, Depends(get_profile_store)],
    lookup: Annotated[ProductLookup, Depends(get_product_lookup)],
) -> EventsResponse:
    """Record the session shopper's events on catalogue products; unknown product ids are
    skipped."""
    sender = same_shopper(shopper, body.sender)
    products = {p.id: p for p in lookup([event.product_id for event in body.events])}
    known = [event for event in body.events if event.product_id in products]
    recorded = store.record(
        (
            sender,
            NewEvent(
                kind=EventKind(event.kind),
                product=products[event.product_id],
                value=event.value,
                source="widget",
            ),
        )
        for event in known
    )
    unknown = sorted({e.product_id for e in body.events} - set(products))
    return EventsResponse(recorded=recorded, unknown_products=unknown)
