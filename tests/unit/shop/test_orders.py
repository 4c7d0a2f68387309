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
        order = orders.find_order(session, "AIS-1001")
        assert [(line.product_id, line.quantity) for line in order.lines] == [
            ("bb-0", 1),
            ("bb-3", 2),
        ]
        assert str(order.total) == "36.00"  # 10 + 2 × 13


@pytest.mark.parametrize(
    ("order_id", "email", "verdict"),
    [
        ("AIS-1001", "asha@example.com", orders.Verification.OK),
        ("AIS-1001", " Asha@Example.com ", orders.Verification.OK),
        ("AIS-1001", "ravi@example.com", orders.Verification.EMAIL_MISMATCH),  # someone else's
        ("AIS-9999", "asha@example.com", orders.Verification.NO_SUCH_ORDER),
    ],
)
def test_verification_needs_the_email_on_the_order(seeded, order_id, email, verdict):
    with session_scope(seeded) as session:
        assert orders.verify(session, order_id, email) is verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AIS-1001", "AIS-1001"), ("it's ais 1002.", "AIS-1002"), ("order 1003", None), ("", None)],
)
def test_order_ids_are_read_from_free_text(text, expected):
    assert orders.normalise_order_id(text) == expected


def test_emails_are_read_from_free_text():
    assert orders.normalise_email("sure: Asha@Example.com thanks") == "asha@example.com"
    assert orders.normalise_email("asha at example") is None


def test_return_requests_get_a_reference(seeded):
    with session_scope(seeded) as session:
        order = orders.find_order(session, "AIS-1001")
        request = orders.request_return(session, order, "ann", "arrived damaged")
        assert request.reference.startswith("RET-")


def test_handoff_waits_until_closed(settings):
    assert not waiting_for_person("ann", settings)
    with session_scope(settings) as session:
        first = request_handoff(session, "ann", "talk to a human")
        assert request_handoff(session, "ann", "again").id == first.id
    assert waiting_for_person("ann", settings)
    assert not waiting_for_person("bob", settings)
