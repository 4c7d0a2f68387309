"""Signed shopper sessions: the chat, events and message-feed routes take the shopper from the
token, refuse requests without a valid one, and never let a request speak for someone else."""

from collections.abc import Iterator
from pathlib import Path

import itsdangerous.timed
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.main import create_app
from gateway.sessions import issue_token

CARDS = {
    "type": "product_cards",
    "text": "1. Tea",
    "products": [{"id": "bb-7", "title": "Green Tea", "price": 90.0, "price_text": "₹90"}],
}
ORIGIN = "https://shop.example"


class RecordingRasa:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []

    async def send(self, sender: str, message: str) -> list[dict]:
        self.received.append((sender, message))
        return [
            {"recipient_id": sender, "text": "Here:"},
            {"recipient_id": sender, "custom": CARDS},
        ]


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path, allowed_origins=ORIGIN)


@pytest.fixture()
def rasa() -> RecordingRasa:
    return RecordingRasa()


@pytest.fixture()
def client(settings: Settings, rasa: RecordingRasa) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_session(client: TestClient) -> tuple[str, dict[str, str]]:
    body = client.post("/api/session").json()
    return body["sender_id"], bearer(body["token"])


def test_a_session_chats_and_reads_back_its_conversation(
    client: TestClient, rasa: RecordingRasa
) -> None:
    sender, auth = new_session(client)
    assert sender.startswith("web-")
    answer = client.post("/api/chat", json={"message": "green tea"}, headers=auth)
    assert answer.status_code == 200 and answer.json()[0]["text"] == "Here:"
    assert rasa.received == [(sender, "green tea")]

    feed = client.get("/api/chat/messages", params={"sender": sender}, headers=auth).json()
    assert [(m["speaker"], m["text"]) for m in feed] == [
        ("shopper", "green tea"),
        ("bot", "Here:"),
        ("bot", ""),
    ]
    assert feed[2]["custom"]["products"][0]["price_text"] == "₹90"
    newer = client.get("/api/chat/messages", params={"after": 1}, headers=auth).json()
    assert [m["position"] for m in newer] == [2]


def test_a_valid_token_is_renewed_for_the_same_shopper(client: TestClient) -> None:
    sender, auth = new_session(client)
    renewed = client.post("/api/session", headers=auth).json()
    assert renewed["sender_id"] == sender and renewed["token"]
    assert new_session(client)[0] != sender


def forged(settings: Settings) -> str:
    return issue_token(settings.model_copy(update={"session_secret": "x" * 32}), "web-victim")


def expired(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 2 * 3600)
    token = issue_token(settings.model_copy(update={"session_ttl_s": 3600}), "web-victim")
    monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    return token


@pytest.mark.parametrize("kind", ["none", "garbage", "forged", "expired"])
def test_requests_without_a_valid_token_are_refused_before_rasa(
    kind: str,
    tmp_path: Path,
    rasa: RecordingRasa,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path, session_ttl_s=3600)
    token = {
        "none": None,
        "garbage": "not-a-token",
        "forged": forged(settings),
        "expired": expired(settings, monkeypatch),
    }[kind]
    headers = bearer(token) if token else {}
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app) as client:
        chat = client.post(
            "/api/chat", json={"sender": "web-victim", "message": "hi"}, headers=headers
        )
        feed = client.get("/api/chat/messages", params={"sender": "web-victim"}, headers=headers)
        events = client.post(
            "/api/events",
            json={"sender": "web-victim", "events": [{"kind": "view", "product_id": "bb-1"}]},
            headers=headers,
        )
    assert (chat.status_code, feed.status_code, events.status_code) == (401, 401, 401)
    assert rasa.received == []


def test_a_session_cannot_name_another_shopper(client: TestClient, rasa: RecordingRasa) -> None:
    _, auth = new_session(client)
    chat = client.post("/api/chat", json={"sender": "web-victim", "message": "hi"}, headers=auth)
    feed = client.get("/api/chat/messages", params={"sender": "web-victim"}, headers=auth)
    events = client.post(
        "/api/events",
        json={"sender": "web-victim", "events": [{"kind": "view", "product_id": "bb-1"}]},
        headers=auth,
    )
    assert (chat.status_code, feed.status_code, events.status_code) == (403, 403, 403)
    assert rasa.received == []


def test_cors_allows_only_the_configured_origins(client: TestClient) -> None:
    def preflight(origin: str) -> dict[str, str]:
        return client.options(
            "/api/chat",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        ).headers

    assert preflight(ORIGIN).get("access-control-allow-origin") == ORIGIN
    assert "access-control-allow-origin" not in preflight("https://evil.example")


def test_the_widget_script_is_served_at_the_root(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "data-gateway" in response.text or "dataset.gateway" in response.text
