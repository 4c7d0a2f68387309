"""``POST /api/chat`` with the real Rasa client and no Rasa server listening: the shopper gets
the apology, and the turn is still recorded (without an NLU annotation) for the support team.
Turns recorded with Rasa's sentiment and the products shown are tested against the real stack
(tests/integration/test_sentiment_flagging.py)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.database import session_scope
from core.settings import Settings
from gateway.main import create_app
from gateway.rasa_client import APOLOGY_UNAVAILABLE
from gateway.sessions import issue_token
from support.conversations import Conversation
from tests.helpers.servers import free_port


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path, rasa_port=free_port())


def bearer(settings: Settings, sender: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, sender)}"}


def test_with_rasa_down_the_apology_is_sent_and_the_turn_recorded(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/chat", json={"message": "tea"}, headers=bearer(settings, "web-2")
        )
    assert response.status_code == 200
    assert [m["text"] for m in response.json()] == [APOLOGY_UNAVAILABLE]
    with session_scope(settings) as session:
        turns = session.get(Conversation, "web-2").turns
        assert [(t.speaker, t.text) for t in turns] == [
            ("customer", "tea"),
            ("agent", APOLOGY_UNAVAILABLE),
        ]
        assert turns[0].sentiment_label is None and turns[0].intent is None
