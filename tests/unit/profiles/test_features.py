from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from profiles.features import ShopperFeatures, decay

NOW = datetime(2024, 6, 1)


@dataclass
class Ev:
    kind: str
    product_id: str | None = None
    days_ago: float = 0
    brand: str = ""
    category: str = ""
    price: float | None = None
    value: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def at(self) -> datetime:
        return NOW - timedelta(days=self.days_ago)


def features(*events: Ev, half_life: float = 30) -> ShopperFeatures:
    return ShopperFeatures.from_events(events, NOW, half_life)


def test_decay_halves_every_half_life() -> None:
    assert decay(0, 30) == 1
    assert decay(30, 30) == pytest.approx(0.5)
    assert decay(90, 30) == pytest.approx(0.125)
    assert decay(-5, 30) == 1  # clock skew never boosts a signal


def test_recent_brand_outweighs_older_habit() -> None:
    profile = features(
        Ev("purchase", "a", days_ago=120, brand="Old"),
        Ev("purchase", "b", days_ago=120, brand="Old"),
        Ev("purchase", "c", days_ago=0, brand="New"),
    )
    assert profile.brand["new"] > profile.brand["old"]
    assert sum(profile.brand.values()) == pytest.approx(1)


def test_category_and_aisle_are_top_and_last_levels() -> None:
    profile = features(Ev("purchase", "a", category="Dairy Eggs > Yogurt"))
    assert profile.category == {"dairy eggs": 1.0}
    assert profile.aisle == {"yogurt": 1.0}


def test_bought_counts_only_purchases() -> None:
    profile = features(Ev("purchase", "a"), Ev("purchase", "a", days_ago=30), Ev("click", "b"))
    assert profile.bought == {"a": pytest.approx(1.5)}


def test_price_band_is_middle_of_engaged_prices() -> None:
    profile = features(*(Ev("purchase", str(p), price=p) for p in (100, 120, 140, 160, 900)))
    low, high = profile.price_band
    assert 100 <= low <= 140 <= high <= 200
    assert profile.price_fit(130) == 1
    assert profile.price_fit(high * 3) == 0
    assert 0 < profile.price_fit(low * 0.8) < 1


def test_no_price_band_from_too_few_prices() -> None:
    assert features(Ev("purchase", "a", price=10)).price_band is None
    assert features(Ev("purchase", "a", price=10)).price_fit(10) == 0


def test_rejections_and_low_ratings_are_dislikes() -> None:
    profile = features(
        Ev("rejected", "x", brand="Dove", attributes={"colour": "Red"}),
        Ev("rating", "y", value=1),
        Ev("rating", "z", value=5),
    )
    assert profile.disliked_products == {"x", "y"}
    assert profile.dislikes({"colour": "red", "brand": "Nivea"}) == ["colour: red"]
    assert profile.brand["dove"] < 0


def test_views_and_searches_alone_buy_nothing() -> None:
    profile = features(Ev("view", "a"), Ev("search"))
    assert profile.bought == {}
    assert ShopperFeatures.empty().is_empty
