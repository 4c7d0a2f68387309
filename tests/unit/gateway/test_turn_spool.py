"""Turns are recorded in order and never lost: a SQL store that refuses writes sends them to
the spool, which is replayed in order, once each, when the store takes writes again."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from core.database import create_tables
from core.settings import Settings
from gateway import turn_recording
from gateway.conversation import answered_before
from gateway.turn_recording import SPOOL_NAME, TurnEntry, TurnSpool, replay, store
from tests.unit.gateway.test_limits import RasaLike, bearer, client_for, settings_for, transcript


def post(client: TestClient, headers: dict, message: str, message_id: str | None = None):
    return client.post(
        "/api/chat", json={"message": message, "message_id": message_id}, headers=headers
    )


class RasaUp(RasaLike):
    async def is_up(self) -> bool:
        return True


@contextmanager
def locked(settings: Settings) -> Iterator[None]:
    """Another connection holds the SQLite store's write lock (as a long transaction, a backup
    tool or a stuck process would): reads work, writes wait and then fail."""
    create_tables(settings)
    holder = sqlite3.connect(settings.state_dir / "aisle.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def entry(sender: str, n: int, message_id: str | None = None) -> TurnEntry:
    replies = [{"recipient_id": sender, "text": f"answer {n}"}]
    return TurnEntry(sender, f"message {n}", {"intent": {"name": f"i{n}"}}, replies, message_id)


@pytest.fixture()
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turn_recording, "DIRECT_WRITE_TIMEOUT_S", 0.3)


def test_chat_goes_on_while_the_store_is_locked_and_no_turn_is_lost(tmp_path: Path, quick):
    settings = settings_for(tmp_path, rate_limit_per_session=1000)
    for client in client_for(settings, RasaUp(settings)):
        headers = bearer(client, "s1")
        send = partial(post, client, headers)
        assert send("before").status_code == 200
        with locked(settings):
            started = time.monotonic()
            answers = [send(f"locked {n}", f"id-{n}") for n in range(3)]
            took = time.monotonic() - started
            assert [a.json()[0]["text"] for a in answers] == [
                f"answer to locked {n}" for n in range(3)
            ]
            assert len(TurnSpool(settings).entries()) == 3
            health = client.get("/healthz").json()
            assert health["checks"]["sql_store"] is False and health["spooled_turns"] == 3
            again = send("locked 1", "id-1")  # a retry of a spooled message: not relayed again
            assert again.json() == answers[1].json()
        deadline = time.monotonic() + 30
        while TurnSpool(settings).pending():  # the gateway's replay task, every 2 s
            assert time.monotonic() < deadline, "the spool was not replayed"
            time.sleep(0.1)
        assert send("after").status_code == 200
    assert took < 3  # only the first turn waits for the store (0.3 s); the rest join the spool
    turns = transcript(settings, "s1")
    # The shopper's turns (each followed by one reply): every one once, in order, own parse.
    assert [text for _, text, _ in turns] == ["before", "locked 0", "locked 1", "locked 2", "after"]
    assert all(intent == f"intent of {text}" for _, text, intent in turns)
    assert [p for p, _, _ in turns] == [0, 2, 4, 6, 8]
    assert answered_before(settings, "s1", "id-2") == answers[2].json()


def test_replay_is_in_order_once_each_and_keeps_turns_appended_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    settings = settings_for(tmp_path)
    spool = TurnSpool(settings)
    first = entry("s2", 0)
    store(settings, first)  # a direct write that timed out, then committed after all
    for n in range(3):
        spool.append(first if n == 0 else entry("s2", n))
    with (tmp_path / SPOOL_NAME).open("a") as file:
        file.write('{"sender": "s2", "text": "torn by a cra')  # a crash mid-append

    def refusing(settings: Settings, entry: TurnEntry) -> None:
        if entry.text == "message 2":
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        store(settings, entry)

    monkeypatch.setattr(turn_recording, "store", refusing)
    assert replay(settings) == 2  # the first was stored already; it stops at the refusal
    assert [e.text for e in spool.entries()] == ["message 2"]
    monkeypatch.undo()
    assert replay(settings) == 1 and not spool.pending()
    assert replay(settings) == 0
    assert [(p, t) for p, t, _ in transcript(settings, "s2")] == [
        (0, "message 0"),
        (2, "message 1"),
        (4, "message 2"),
    ]
    spool.append(entry("s2", 3))
    spool.discard({"not-there"})  # another gateway's replay dropping its own turns
    assert [e.text for e in spool.entries()] == ["message 3"]


def test_a_spooled_answer_is_found_for_its_message_id(tmp_path: Path):
    settings = settings_for(tmp_path)
    TurnSpool(settings).append(entry("s3", 7, message_id="m7"))
    assert answered_before(settings, "s3", "m7") == [{"recipient_id": "s3", "text": "answer 7"}]
    assert answered_before(settings, "s3", "m8") is None
    assert answered_before(settings, "s4", "m7") is None


def test_the_health_body_counts_no_spooled_turns_when_none_wait(tmp_path: Path):
    settings = settings_for(tmp_path)
    for client in client_for(settings, RasaUp(settings)):
        assert client.get("/healthz").json()["spooled_turns"] == 0
    assert not (tmp_path / SPOOL_NAME).exists()  # reading the count made no file
