from datetime import timedelta

import pytest

from core.database import session_scope
from retrieval.schema import Product
from shop import orders
from shop.handoff import request_handoff, waiting_for_person

CATALOGUE = [Product(id=f"bb-{i}", title=f"Item {i}", price=10.0 + i) for i in range(50)]


@pytest.fixture()
def seeded(settings):
    with session_scope(settings) as session:
        assert orders.seed_demo_orders(session, CATALOGUE) == len(orders.DEMO_ORDERS)
    return settings


def test_seeding_is_deterministic_and_idempotent(seeded):
    with session_scope(seeded) as session:
        assert orders.seed_demo_orders(session, CATALOGUE) == 0
        order = orders.find_order(session, "AIS-7KQ2-M9XD")
        assert [(line.product_id, line.quantity) for line in order.lines] == [
            ("bb-0", 1),
            ("bb-3", 2),
        ]
        assert str(order.total) == "36.00"  # 10 + 2 × 13


def test_a_catalogue_without_prices_gets_no_demo_orders(settings):
    unpriced = [Product(id=f"my-{i}", title=f"Shirt {i}") for i in range(5)]
    with session_scope(settings) as session:
        assert orders.seed_demo_orders(session, unpriced) == 0  # Myntra's catalogue
        assert orders.count_orders(session) == 0


@pytest.mark.parametrize(
    ("order_id", "email", "verdict"),
    [
        ("AIS-7KQ2-M9XD", "asha@example.com", orders.Verification.OK),
        ("AIS-7KQ2-M9XD", " Asha@Example.com ", orders.Verification.OK),
        ("AIS-7KQ2-M9XD", "ravi@example.com", orders.Verification.EMAIL_MISMATCH),  # someone else's
        ("AIS-9999", "asha@example.com", orders.Verification.NO_SUCH_ORDER),
    ],
)
def test_verification_needs_the_email_on_the_order(seeded, order_id, email, verdict):
    with session_scope(seeded) as session:
        assert orders.verify(session, order_id, email) is verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AIS-7KQ2-M9XD", "AIS-7KQ2-M9XD"),
        ("it's ais 7kq2m9xd.", "AIS-7KQ2-M9XD"),
        ("order ais h4tn 2wq8 please", "AIS-H4TN-2WQ8"),
        ("it's ais 1002.", "AIS-1002"),  # the first demo orders' form
        ("order 1003", None),
        ("AIS-7KQ2-M9XU", None),  # U is not in the alphabet
        ("", None),
    ],
)
def test_order_ids_are_read_from_free_text(text, expected):
    assert orders.normalise_order_id(text) == expected


def test_emails_are_read_from_free_text():
    assert orders.normalise_email("sure: Asha@Example.com thanks") == "asha@example.com"
    assert orders.normalise_email("asha at example") is None


def test_return_requests_get_a_reference(seeded):
    with session_scope(seeded) as session:
        order = orders.find_order(session, "AIS-7KQ2-M9XD")
        request = orders.request_return(session, order, "ann", "arrived damaged")
        assert request.reference.startswith("RET-")


def test_handoff_waits_until_closed(settings):
    assert not waiting_for_person("ann", settings)
    with session_scope(settings) as session:
        first = request_handoff(session, "ann", "talk to a human")
        assert request_handoff(session, "ann", "again").id == first.id
    assert waiting_for_person("ann", settings)
    assert not waiting_for_person("bob", settings)


def test_demo_order_ids_are_random_looking_not_a_sequence():
    ids = [o.id for o in orders.DEMO_ORDERS]
    assert all(orders.normalise_order_id(i) == i for i in ids)
    assert all(len(i) == len("AIS-XXXX-XXXX") for i in ids)


def test_lookups_are_refused_after_five_wrong_ids_or_emails_in_an_hour(seeded):
    with session_scope(seeded) as session:
        for wrong in ("AIS-0000-0001", "AIS-0000-0002", "AIS-0000-0003", "AIS-0000-0004"):
            assert orders.check_order(session, "ann", wrong) is orders.Verification.NO_SUCH_ORDER
        assert orders.check_order(session, "ann", "AIS-7KQ2-M9XD", "x@example.com") is (
            orders.Verification.EMAIL_MISMATCH
        )  # the fifth wrong try
        # Now even the right id and email are refused, for this shopper only…
        refused = orders.check_order(session, "ann", "AIS-7KQ2-M9XD", "asha@example.com")
        assert refused is orders.Verification.TOO_MANY_TRIES
        assert orders.check_order(session, "bob", "AIS-H4TN-2WQ8") is orders.Verification.OK


def test_email_guesses_for_one_order_are_limited_across_shoppers(seeded):
    with session_scope(seeded) as session:
        for n in range(5):  # five new sessions, one guess each
            guess = orders.check_order(session, f"guesser-{n}", "AIS-H4TN-2WQ8", f"g{n}@x.com")
            assert guess is orders.Verification.EMAIL_MISMATCH
        late = orders.check_order(session, "guesser-9", "AIS-H4TN-2WQ8", "ravi@example.com")
        assert late is orders.Verification.TOO_MANY_TRIES


def test_wrong_tries_older_than_the_window_no_longer_count(seeded, monkeypatch):
    with session_scope(seeded) as session:
        for n in range(5):
            orders.check_order(session, "ann", f"AIS-0000-000{n}")
    monkeypatch.setattr(orders, "WRONG_TRIES_WINDOW", timedelta(seconds=0))
    with session_scope(seeded) as session:
        assert orders.check_order(session, "ann", "AIS-7KQ2-M9XD") is orders.Verification.OK
