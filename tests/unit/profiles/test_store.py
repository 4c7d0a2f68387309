"""Profile store behaviour; tests/integration/test_profiles_postgres.py runs these on PostgreSQL."""

from datetime import datetime

from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind
from tests.helpers.catalogues import product

SOAP = product("p1", brand="Dove", category=("Beauty", "Soap"), price=40.0)


def test_record_creates_shoppers_and_snapshots_products(profile_store: ProfileStore) -> None:
    added = profile_store.record(
        [
            ("s1", NewEvent(kind=EventKind.CLICK, product=SOAP)),
            ("s1", NewEvent(kind=EventKind.SEARCH, query="soap")),
            ("s2", NewEvent(kind=EventKind.PURCHASE, product_id="p9")),
        ]
    )
    assert added == 3
    assert profile_store.shoppers() == ["s1", "s2"]
    click, search = profile_store.events("s1")
    assert (click.kind, click.brand, click.category, click.price) == (
        "click",
        "Dove",
        "Beauty > Soap",
        40.0,
    )
    assert search.query == "soap"
    assert profile_store.events("nobody") == []


def test_dedup_keys_make_imports_idempotent(profile_store: ProfileStore) -> None:
    events = [
        ("s1", NewEvent(kind=EventKind.PURCHASE, product=SOAP, dedup_key=f"order:{n}"))
        for n in range(3)
    ]
    assert profile_store.record(events) == 3
    assert profile_store.record(events) == 0
    assert profile_store.count_events() == 3


def test_features_read_back_from_the_store(profile_store: ProfileStore) -> None:
    at = datetime(2024, 1, 1)
    profile_store.record(
        [
            ("s1", NewEvent(kind=EventKind.PURCHASE, product=SOAP, at=at)),
            (
                "s1",
                NewEvent(kind=EventKind.REJECTED, product_id="p2", attributes={"colour": "red"}),
            ),
        ]
    )
    features = profile_store.features("s1", now=at)
    assert features.bought == {"p1": 1.0}
    assert features.brand["dove"] > 0
    assert features.disliked_products == {"p2"}
    assert features.dislikes({"colour": "Red"}) == ["colour: Red"]
    assert profile_store.features(None).is_empty
