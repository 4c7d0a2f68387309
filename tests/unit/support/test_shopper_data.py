"""A shopper's data: the export holds every store's part, the deletion leaves nothing of that
shopper readable in any store (and nothing of another shopper is touched); both are audited.
tests/integration/test_shopper_data_postgres.py runs these again on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.database import Base, session_scope
from core.settings import Settings
from profiles.store import NewEvent, ProfileStore
from profiles.tables import EventKind
from retrieval.schema import Product
from shop import orders
from shop.cart import add_item
from shop.handoff import request_handoff
from support.audit import audit_trail
from support.conversations import Exchange, add_person_message, record_exchange
from support.queue import add_note, assign
from support.rasa_tracker import RasaTrackers
from support.shopper_data import delete_shopper, export_shopper

SHOPPERS = ("ann", "bob")


class FakeTrackers(RasaTrackers):
    """Rasa's in-memory tracker store, stood in for."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.trackers = {s: [{"event": "user", "text": f"{s} wants tea"}] for s in SHOPPERS}

    def _call(self, method: str, sender_id: str, path: str = "", **kw: Any) -> Any:
        if method == "PUT":
            self.trackers[sender_id] = kw["json"]
        return {"events": self.trackers.get(sender_id, [])}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def stored(settings: Settings) -> Settings:
    """Two shoppers with something in every store."""
    catalogue = [Product(id=f"bb-{i}", title=f"Item {i}", price=10.0 + i) for i in range(50)]
    with session_scope(settings) as session:
        orders.seed_demo_orders(session, catalogue)
        for sender in SHOPPERS:
            parse = {"intent": {"name": "search_products"}}
            record_exchange(session, Exchange(sender, f"{sender} wants tea", parse, []), 0.5)
            add_person_message(session, sender, f"hello {sender}")
            add_item(session, sender, "bb-1", 2)
            request_handoff(session, sender, "a person please")
            add_note(session, sender, "agent@shop.test", f"{sender} called")
            assign(session, sender, "agent@shop.test")
            orders.request_return(
                session, orders.find_order(session, "AIS-7KQ2-M9XD"), sender, "torn"
            )
    ProfileStore(settings).record(
        [(s, NewEvent(kind=EventKind.SEARCH, query=f"{s} tea")) for s in SHOPPERS]
    )
    return settings


def test_export_has_every_store(stored: Settings) -> None:
    with session_scope(stored) as session:
        data = export_shopper(session, "ann", FakeTrackers(stored), "cli:test")
    assert [t["text"] for t in data["transcript"]] == ["ann wants tea", "hello ann"]
    assert data["rasa_tracker_events"] == [{"event": "user", "text": "ann wants tea"}]
    assert [e["query"] for e in data["profile_events"]] == ["ann tea"]
    assert data["cart"] == [{"product_id": "bb-1", "quantity": 2}]
    assert data["orders"][0]["order_id"] == "AIS-7KQ2-M9XD"
    assert data["orders"][0]["return_reference"].startswith("RET-")
    assert [h["reason"] for h in data["handoffs"]] == ["a person please"]
    assert data["flags"]["score"] >= 0 and [n["text"] for n in data["notes"]] == ["ann called"]
    assert data["audit_trail"][-1]["action"] == "exported"
    assert "bob" not in repr(data)


def test_delete_leaves_nothing_of_the_shopper(stored: Settings) -> None:
    trackers = FakeTrackers(stored)
    with session_scope(stored) as session:
        before = export_shopper(session, "bob", trackers, "cli:test")
        done = delete_shopper(session, "ann", trackers, "cli:test")
    assert any("rasa" in line for line in done)
    assert trackers.trackers["ann"] == []
    with session_scope(stored) as session:
        after = export_shopper(session, "ann", trackers, "cli:test")
        assert {k: v for k, v in after.items() if k != "audit_trail"} == {
            "sender_id": "ann",
            "transcript": [],
            "rasa_tracker_events": [],
            "profile_events": [],
            "cart": [],
            "orders": [],
            "handoffs": [],
            "flags": None,
            "notes": [],
        }
        # Every table of the SQL store: no row names the shopper any more, except the audit.
        for table in Base.metadata.sorted_tables:
            if table.name == "support_audit":
                continue
            for row in session.execute(select(table)):
                assert "ann" not in repr(tuple(row)), (table.name, row)
        actions = [a.action for a in audit_trail(session, "ann")]
        assert "deleted" in actions
        bob = export_shopper(session, "bob", trackers, "cli:test")
    assert {k: v for k, v in bob.items() if k != "audit_trail"} == {
        k: v for k, v in before.items() if k != "audit_trail"
    }
