"""Features derived from a shopper's events: what they buy, like, pay and turn down.

Every positive signal is weighted by its kind (a purchase says more than a view) and by its age
(exponential decay with a half-life), so affinities follow the shopper's recent habits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np

from profiles.tables import EventKind

# How much one event of each kind says about what the shopper likes.
KIND_WEIGHTS: dict[str, float] = {
    EventKind.PURCHASE: 1.0,
    EventKind.ADD_TO_CART: 0.5,
    EventKind.CLICK: 0.25,
    EventKind.VIEW: 0.05,
    EventKind.REJECTED: -1.0,
}
MIN_PRICED = 3  # priced positive events needed before a price band is trusted


class EventLike(Protocol):
    """The event fields features read (an ORM row or anything shaped like one)."""

    kind: str
    at: datetime
    product_id: str | None
    value: float | None
    attributes: dict[str, str]
    brand: str
    category: str
    price: float | None


def decay(age_days: float, half_life_days: float) -> float:
    """The weight left to a signal ``age_days`` old (1 now, 0.5 after one half-life)."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def signal_weight(event: EventLike) -> float:
    """What one event says about liking its product, before decay (negative = dislike)."""
    if event.kind == EventKind.RATING:
        return ((event.value or 3.0) - 3.0) / 2.0  # 1 star -1 … 5 stars +1
    return KIND_WEIGHTS.get(event.kind, 0.0)


def _key(value: str) -> str:
    return value.strip().casefold()


def _shares(weights: dict[str, float]) -> dict[str, float]:
    """Each value's share of the total absolute weight, in [-1, 1]."""
    total = sum(abs(w) for w in weights.values())
    return {k: w / total for k, w in weights.items()} if total else {}


def _weighted_quantiles(
    values: list[float], weights: list[float], qs: tuple[float, ...]
) -> list[float]:
    """Step (not interpolated) quantiles, so one outlier price cannot stretch the band."""
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cumulative = np.cumsum(w) / w.sum()
    return [float(v[min(int(np.searchsorted(cumulative, q)), len(v) - 1)]) for q in qs]


@dataclass(frozen=True)
class ShopperFeatures:
    """A shopper's profile as the ranker sees it. Keys are case-folded.

    ``bought``: product id -> decayed purchase count; ``brand``/``category``/``aisle``: share of
    the decayed signal (negative when mostly disliked) by brand, top category level and most
    specific category level; ``price_band``: the middle half of what they engage with.
    """

    bought: dict[str, float] = field(default_factory=dict)
    brand: dict[str, float] = field(default_factory=dict)
    category: dict[str, float] = field(default_factory=dict)
    aisle: dict[str, float] = field(default_factory=dict)
    price_band: tuple[float, float] | None = None
    disliked_products: frozenset[str] = frozenset()
    disliked_attributes: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> ShopperFeatures:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not (self.bought or self.brand or self.aisle or self.disliked_products)

    @classmethod
    def from_events(
        cls, events: Iterable[EventLike], now: datetime, half_life_days: float
    ) -> ShopperFeatures:
        """Derive the features from events (any order) as of ``now``."""
        bought: dict[str, float] = defaultdict(float)
        levels: dict[str, dict[str, float]] = {
            "brand": defaultdict(float),
            "category": defaultdict(float),
            "aisle": defaultdict(float),
        }
        prices: list[float] = []
        price_weights: list[float] = []
        disliked: set[str] = set()
        attributes: dict[str, set[str]] = defaultdict(set)
        for event in events:
            signal = signal_weight(event)
            if not signal:
                continue
            weight = signal * decay((now - event.at).total_seconds() / 86400, half_life_days)
            path = [level for level in event.category.split(" > ") if level]
            for name, value in (
                ("brand", event.brand),
                ("category", path[0] if path else ""),
                ("aisle", path[-1] if path else ""),
            ):
                if value:
                    levels[name][_key(value)] += weight
            if signal < 0:
                if event.product_id:
                    disliked.add(event.product_id)
                for name, value in (event.attributes or {}).items():
                    attributes[_key(name)].add(_key(str(value)))
                continue
            if event.kind == EventKind.PURCHASE and event.product_id:
                bought[event.product_id] += weight
            if event.price is not None:
                prices.append(event.price)
                price_weights.append(weight)
        band = None
        if len(prices) >= MIN_PRICED:
            low, high = _weighted_quantiles(prices, price_weights, (0.25, 0.75))
            band = (low, high)
        return cls(
            bought=dict(bought),
            brand=_shares(levels["brand"]),
            category=_shares(levels["category"]),
            aisle=_shares(levels["aisle"]),
            price_band=band,
            disliked_products=frozenset(disliked),
            disliked_attributes={k: frozenset(v) for k, v in attributes.items()},
        )

    def price_fit(self, price: float | None) -> float:
        """1 inside the shopper's price band, falling linearly to 0 at half or double its
        edges; 0 when the band or the price is unknown."""
        if self.price_band is None or price is None:
            return 0.0
        low, high = self.price_band
        if low <= price <= high:
            return 1.0
        if price < low:
            return max(0.0, 1.0 - (low - price) / (low / 2)) if low > 0 else 0.0
        return max(0.0, 1.0 - (price - high) / high) if high > 0 else 0.0

    def dislikes(self, attributes: dict[str, str]) -> list[str]:
        """The ``name: value`` pairs of ``attributes`` the shopper turned down."""
        return [
            f"{name}: {value}"
            for name, value in attributes.items()
            if value and _key(value) in self.disliked_attributes.get(_key(name), ())
        ]
