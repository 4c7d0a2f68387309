"""The gateway's limits and hygiene: body cap, clean 422s, bad JSON refused, security headers,
docs off in production, rate limits, and one message in flight per shopper."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.database import session_scope
from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.limits import RateLimiter
from gateway.main import create_app
from gateway.sessions import issue_token
from support.conversations import TurnRecord
from tests.helpers.rasa_store import append_user_message

SECRET = "s" * 32


class RasaLike:
    """Like Rasa: the tracker store's latest message is the last one *received*, and answering
    takes a while, so overlapping messages of one shopper would mix their parses."""

    def __init__(self, settings: Settings, delay_s: float = 0.0) -> None:
        self.settings = settings
        self.delay_s = delay_s
        self.in_flight = 0
        self.most_in_flight = 0

    async def send(self, sender: str, message: str) -> list[dict]:
        append_user_message(self.settings, sender, message, f"intent of {message}")
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.delay_s)
        self.in_flight -= 1
        return [{"recipient_id": sender, "text": f"answer to {message}"}]


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values = {"environment": "test", "state_dir": tmp_path} | overrides
    return Settings(_env_file=None, **values)


def client_for(settings: Settings, rasa: RasaLike | None = None) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa or RasaLike(settings)
    with TestClient(app) as client:
        yield client


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(settings_for(tmp_path))


def bearer(client: TestClient, sender: str) -> dict[str, str]:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {issue_token(settings, sender)}"}


def test_a_body_over_the_cap_is_refused_with_413_declared_or_chunked(client: TestClient):
    big = b'{"message": "' + b"a" * 70_000 + b'"}'
    headers = bearer(client, "web-1") | {"Content-Type": "application/json"}
    assert client.post("/api/chat", content=big, headers=headers).status_code == 413
    chunks = (big[i : i + 8192] for i in range(0, len(big), 8192))  # no Content-Length
    assert client.post("/api/chat", content=chunks, headers=headers).status_code == 413


def test_a_422_never_echoes_what_was_sent(client: TestClient):
    marker = "<script>alert('secret-marker')</script>"
    response = client.post("/api/chat", json={"sender": marker}, headers=bearer(client, "web-1"))
    assert response.status_code == 422
    assert "secret-marker" not in response.text
    assert response.json()["detail"][0]["loc"] == ["body", "sender"]


@pytest.mark.parametrize(
    "body",
    [b'{"message": NaN}', b'{"message": "x", "n": Infinity}', b'{"message": "\\ud800 tea"}'],
)
@pytest.mark.parametrize("path", ["/api/chat", "/api/events"])
def test_nan_infinity_and_lone_surrogates_are_refused_cleanly(
    client: TestClient, body: bytes, path: str
):
    headers = bearer(client, "web-1") | {"Content-Type": "application/json"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422
    assert "ud800" not in response.text


def test_every_answer_carries_the_security_headers(client: TestClient):
    for response in (client.get("/"), client.post("/api/chat", content=b"x" * 70_000)):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_docs_and_schema_are_off_in_production(tmp_path: Path, client: TestClient):
    assert client.get("/openapi.json").status_code == 200
    secrets = {"session_secret": SECRET, "support_token": SECRET, "rasa_token": SECRET}
    for production in client_for(settings_for(tmp_path, environment="production", **secrets)):
        assert production.get("/docs").status_code == 404
        assert production.get("/openapi.json").status_code == 404


def test_the_rate_limiter_refills_at_its_rate():
    limiter = RateLimiter(per_minute=3)
    assert [limiter.retry_after("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.retry_after("a", now=0.0) == pytest.approx(20.0)
    assert limiter.retry_after("b", now=0.0) == 0.0  # keys are independent
    assert limiter.retry_after("a", now=20.0) == 0.0


def test_one_address_over_its_limit_gets_429_with_retry_after(tmp_path: Path):
    for client in client_for(settings_for(tmp_path, rate_limit_per_address=2)):
        statuses = [client.post("/api/session").status_code for _ in range(3)]
        refused = client.post("/api/session")
        assert client.get("/").status_code == 200  # pages are not limited
    assert statuses == [200, 200, 429]
    assert int(refused.headers["Retry-After"]) >= 1


def test_one_shopper_over_their_limit_gets_429_with_retry_after(tmp_path: Path):
    for client in client_for(settings_for(tmp_path, rate_limit_per_session=2)):
        send = [
            client.post("/api/chat", json={"message": "tea"}, headers=bearer(client, s))
            for s in ("web-1", "web-1", "web-1", "web-2")
        ]
    assert [r.status_code for r in send] == [200, 200, 429, 200]
    assert int(send[2].headers["Retry-After"]) >= 1


def transcript(settings: Settings, sender: str) -> list[tuple[int, str, str | None]]:
    with session_scope(settings) as session:
        rows = session.scalars(
            select(TurnRecord).where(TurnRecord.sender_id == sender).order_by(TurnRecord.id)
        )
        return [(r.position, r.text, r.intent) for r in rows if r.speaker == "customer"]


def sends_50_ms_apart(client: TestClient, sender: str, messages: list[str]) -> list:
    """POST each message to /api/chat 50 ms after the previous one, without waiting."""
    headers = bearer(client, sender)
    with ThreadPoolExecutor(len(messages)) as pool:
        futures = []
        for message in messages:
            futures.append(
                pool.submit(client.post, "/api/chat", json={"message": message}, headers=headers)
            )
            time.sleep(0.05)
        return [f.result() for f in futures]


def test_a_double_send_50_ms_apart_leaves_the_transcript_exact(tmp_path: Path):
    settings = settings_for(tmp_path)
    rasa = RasaLike(settings, delay_s=0.3)
    for client in client_for(settings, rasa):
        answers = sends_50_ms_apart(client, "web-double", ["show me tea", "cheaper ones"])
    assert [a.json() for a in answers] == [
        [{"recipient_id": "web-double", "text": "answer to show me tea"}],
        [{"recipient_id": "web-double", "text": "answer to cheaper ones"}],
    ]
    assert rasa.most_in_flight == 1
    turns = transcript(settings, "web-double")
    assert [(text, intent) for _, text, intent in turns] == [
        ("show me tea", "intent of show me tea"),
        ("cheaper ones", "intent of cheaper ones"),
    ]
    positions = [p for p, _, _ in turns]
    assert positions == sorted(set(positions))


def test_a_third_message_while_two_are_pending_is_refused_politely(tmp_path: Path):
    settings = settings_for(tmp_path)
    for client in client_for(settings, RasaLike(settings, delay_s=0.5)):
        answers = sends_50_ms_apart(client, "web-flood", ["one", "two", "three"])
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "1"


def test_a_300_message_flood_leaves_the_transcript_exact(tmp_path: Path):
    settings = settings_for(tmp_path, rate_limit_per_session=1000)
    rasa = RasaLike(settings, delay_s=0.01)
    messages = [f"message {n}" for n in range(300)]
    for client in client_for(settings, rasa):
        send = partial(client.post, "/api/chat", headers=bearer(client, "web-flood-300"))
        with ThreadPoolExecutor(50) as pool:
            answers = list(pool.map(lambda m: send(json={"message": m}), messages))  # noqa: B023
    answered = [m for m, a in zip(messages, answers, strict=True) if a.status_code == 200]
    assert {a.status_code for a in answers} <= {200, 429} and len(answered) >= 2
    for message, answer in zip(messages, answers, strict=True):
        if answer.status_code == 200:  # each answer is its own message's
            assert answer.json() == [
                {"recipient_id": "web-flood-300", "text": f"answer to {message}"}
            ]
    assert rasa.most_in_flight == 1
    turns = transcript(settings, "web-flood-300")
    # Every answered message once, none refused, each with its own parse, in relay order.
    assert sorted(text for _, text, _ in turns) == sorted(answered)
    assert all(intent == f"intent of {text}" for _, text, intent in turns)
    positions = [p for p, _, _ in turns]
    assert positions == sorted(set(positions))
