"""Client message ids: a message sent again with the same id is answered once, through the
web chat and the channels alike; a turn Rasa did not finish in time says the cart may have
changed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.rasa_client import APOLOGY_TIMED_OUT, RasaClient
from tests.unit.gateway.test_limits import RasaLike, bearer, client_for, settings_for, transcript


def test_a_retried_message_id_is_relayed_once_and_gets_the_same_answer(tmp_path: Path):
    settings = settings_for(tmp_path)
    rasa = CountingRasa(settings)
    for client in client_for(settings, rasa):
        headers = bearer(client, "web-retry")
        send = [
            client.post("/api/chat", json={"message": m, "message_id": i}, headers=headers)
            for m, i in [("add it", "m-1"), ("add it", "m-1"), ("add it", "m-2")]
        ]
    assert [r.json()[0]["text"] for r in send] == ["answer 1 to add it"] * 2 + [
        "answer 2 to add it"
    ]
    assert rasa.received == ["add it", "add it"]  # m-1 once, m-2 once
    assert [text for _, text, _ in transcript(settings, "web-retry")] == ["add it", "add it"]


def test_message_ids_are_per_shopper(tmp_path: Path):
    settings = settings_for(tmp_path)
    rasa = CountingRasa(settings)
    for client in client_for(settings, rasa):
        for sender in ("web-a", "web-b"):
            body = {"message": "tea", "message_id": "same-id"}
            assert client.post("/api/chat", json=body, headers=bearer(client, sender)).is_success
    assert rasa.received == ["tea", "tea"]


def test_a_message_id_that_is_not_a_plain_token_is_refused(client: TestClient):
    body = {"message": "tea", "message_id": "<script>"}
    response = client.post("/api/chat", json=body, headers=bearer(client, "web-x"))
    assert response.status_code == 422


@pytest.fixture()
def client(tmp_path: Path):
    yield from client_for(settings_for(tmp_path))


class CountingRasa(RasaLike):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.received: list[str] = []

    async def send(self, sender: str, message: str) -> list[dict]:
        self.received.append(message)
        return [{"recipient_id": sender, "text": f"answer {len(self.received)} to {message}"}]


def test_a_turn_rasa_does_not_finish_in_time_says_the_cart_may_have_changed():
    def too_slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    rasa = RasaClient(Settings(_env_file=None, environment="test"), timeout_s=0.1)
    rasa._http = httpx.AsyncClient(base_url="http://rasa", transport=httpx.MockTransport(too_slow))
    replies = asyncio.run(rasa.send("web-slow", "add the first one to my cart"))
    assert [r["text"] for r in replies] == [APOLOGY_TIMED_OUT]
    assert "may have gone through" in APOLOGY_TIMED_OUT
