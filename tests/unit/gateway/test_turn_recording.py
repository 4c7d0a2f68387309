"""``POST /api/chat`` records the turn (with Rasa's sentiment and the products shown) for the
support team, and a failing tracker read never fails the chat."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.database import session_scope
from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.main import create_app
from gateway.sessions import issue_token
from support.conversations import Conversation

CARDS = {"type": "product_cards", "text": "1. Tea", "products": [{"id": "bb-7", "price": 90.0}]}
NEGATIVE = {
    "label": "negative",
    "score": 0.9,
    "probabilities": {"negative": 0.9, "neutral": 0.05, "positive": 0.05},
}


class FakeRasa:
    def __init__(self, parse: dict | None) -> None:
        self.parse = parse

    async def send(self, sender: str, message: str) -> list[dict]:
        return [
            {"recipient_id": sender, "text": "Here:"},
            {"recipient_id": sender, "custom": CARDS},
        ]

    async def latest_message(self, sender: str) -> dict:
        if self.parse is None:
            raise RuntimeError("tracker unavailable")
        return self.parse


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


def bearer(settings: Settings, sender: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, sender)}"}


def client_with(settings: Settings, rasa: FakeRasa) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app) as client:
        yield client


def test_the_turn_is_recorded_with_sentiment_and_products(settings: Settings) -> None:
    parse = {"intent": {"name": "refine_search"}, "sentiment": NEGATIVE}
    for client in client_with(settings, FakeRasa(parse)):
        assert (
            client.post(
                "/api/chat", json={"message": "ugh"}, headers=bearer(settings, "web-1")
            ).status_code
            == 200
        )
    with session_scope(settings) as session:
        turns = session.get(Conversation, "web-1").turns
        assert [(t.speaker, t.text) for t in turns] == [
            ("customer", "ugh"),
            ("agent", "Here:"),
            ("agent", "1. Tea"),
        ]
        assert turns[0].sentiment_label == "negative" and turns[0].intent == "refine_search"
        assert turns[2].products[0]["id"] == "bb-7"


def test_a_failed_recording_does_not_fail_the_chat(settings: Settings) -> None:
    for client in client_with(settings, FakeRasa(None)):
        response = client.post(
            "/api/chat", json={"message": "tea"}, headers=bearer(settings, "web-2")
        )
        assert response.status_code == 200 and response.json()[0]["text"] == "Here:"
    with session_scope(settings) as session:
        assert session.get(Conversation, "web-2") is None
