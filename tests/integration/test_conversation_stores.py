"""Rasa's conversation stores with a real Rasa server: the default SQLite tracker store, and the
scale-out ones: its tracker store in PostgreSQL and its lock store in Redis
(``AISLE_TRACKER_STORE_URL`` / ``AISLE_LOCK_STORE_URL``).

The scale-out Rasa server uses the session stack's action server, so it searches the same
catalogue.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text

from aisle.stack import Stack
from core.database import get_engine
from support.rasa_tracker import RasaTrackers
from tests.helpers.chat import assert_cheaper_of_the_same, cards
from tests.helpers.servers import free_port, redis_cli

pytestmark = pytest.mark.integration

SENDER = "stores-shopper"


@pytest.fixture(scope="module")
def rasa_on_stores(stack: Stack, postgres_url: str, redis_url: str, rasa_model) -> Iterator[Stack]:
    settings = stack.settings.model_copy(
        update={
            "rasa_port": free_port(),
            "tracker_store_url": postgres_url,
            "lock_store_url": redis_url,
        }
    )
    rasa_only = Stack(settings, rasa_model)
    try:
        rasa_only.start_service("rasa")
        yield rasa_only
    finally:
        rasa_only.stop()


def say(rasa: Stack, message: str) -> list[dict]:
    response = httpx.post(
        f"{rasa.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": SENDER, "message": message},
        timeout=120,
    )
    response.raise_for_status()
    return response.json()


def test_conversations_are_stored_in_postgres_locked_in_redis_and_survive_a_restart(
    rasa_on_stores: Stack, postgres_url: str, redis_url: str
):
    first = cards(say(rasa_on_stores, "Himalaya face wash under 300"))
    assert first and {c["brand"] for c in first} == {"Himalaya"}

    with get_engine(postgres_url).connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": SENDER}
        ).scalar_one()
    assert stored > 0
    stats = redis_cli(urlsplit(redis_url).port, "info", "commandstats")
    assert "cmdstat_set:" in stats  # Rasa's lock store took the conversation's lock

    rasa_on_stores.stop_service("rasa")
    rasa_on_stores.start_service("rasa")
    # A refinement that names only the budget: brand and product must come back from PostgreSQL.
    wider = cards(say(rasa_on_stores, "under 1000 instead"))
    assert wider, "the refinement found nothing after the restart"
    assert {c["brand"] for c in wider} == {"Himalaya"}
    assert all(c["price"] <= 1000 for c in wider)
    assert all("face wash" in (c["title"] + c["category"]).lower() for c in wider), wider


def test_shopper_delete_empties_rasas_sql_tracker_store(
    rasa_on_stores: Stack, postgres_url: str, redis_url: str
):
    say(rasa_on_stores, "show me green tea")
    trackers = RasaTrackers(rasa_on_stores.settings)
    assert any(e.get("text") == "show me green tea" for e in trackers.events(SENDER))

    done = trackers.erase(SENDER)
    assert done[0].startswith("rasa sql tracker store: ") and not done[0].endswith(": 0 events")
    with get_engine(postgres_url).connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": SENDER}
        ).scalar_one()
    assert left == 0
    assert not [e for e in trackers.events(SENDER) if e.get("text")]  # Rasa reads nothing back
    # Redis holds only Rasa's conversation locks, released after each message: nothing is left.
    assert redis_cli(urlsplit(redis_url).port, "ping") == "PONG"
    assert SENDER not in redis_cli(urlsplit(redis_url).port, "--scan")


def test_a_kill_9_of_rasa_loses_no_conversation_on_the_default_sqlite_store(stack: Stack, chat):
    first = cards(chat("sqlite-shopper", "Himalaya face wash under 300"))
    assert first and {c["brand"] for c in first} == {"Himalaya"}
    assert stack.settings.tracker_store_url is None
    assert stack.settings.rasa_trackers_path.exists()

    process = stack.services["rasa"].process
    assert process
    os.killpg(process.pid, signal.SIGKILL)  # no shutdown hook runs: only what was written stays
    process.wait()
    stack.start_service("rasa")
    # "cheaper" names neither product nor brand: both must come back from the SQLite store.
    cheaper = chat("sqlite-shopper", "show me something cheaper")
    assert_cheaper_of_the_same(first, cheaper, "face wash")
