"""The channel webhooks with a stand-in Rasa and a mocked platform API: authentication,
verification, de-duplication, native rendering and send retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.channels import base
from gateway.main import create_app

CARDS = {
    "type": "product_cards",
    "text": "1. Shampoo — ₹150",
    "products": [
        {
            "id": "bb-1",
            "title": "Herbal Shampoo",
            "brand": "Himalaya",
            "price_text": "₹150",
            "list_price_text": "₹180",
            "rating": 4.2,
            "reason": "popular",
        }
    ],
    "buttons": [{"title": "Cheaper ones", "payload": "show me cheaper ones"}],
}
SECRETS = {
    "telegram_bot_token": "1:tok",
    "telegram_secret_token": "telegram-secret-0123456789",
    "slack_signing_secret": "slack-secret-0123456789abcdef",
    "slack_bot_token": "xoxb-1",
    "whatsapp_verify_token": "verify-me",
    "whatsapp_app_secret": "whatsapp-secret-0123456789",
    "whatsapp_access_token": "wa-token",
    "whatsapp_phone_number_id": "555",
}


class StandInRasa:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []

    async def send(self, sender: str, message: str) -> list[dict]:
        self.received.append((sender, message))
        return [{"recipient_id": sender, "text": "Here you go:"}, {"custom": CARDS}]

    async def is_up(self) -> bool:
        return True


class Platform:
    """A mocked platform API: answers 500 to the first ``failures`` calls, then 200."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[httpx.Request] = []
        self.failures = failures

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if len(self.calls) <= self.failures:
            return httpx.Response(500, json={"ok": False})
        return httpx.Response(200, json={"ok": True})

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.calls]


@pytest.fixture()
def rasa() -> StandInRasa:
    return StandInRasa()


@pytest.fixture()
def platform(monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setattr(base, "BACKOFF_S", 0.0)
    return Platform()


def client_for(settings: Settings, rasa: StandInRasa, platform: Platform) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app) as client:
        app.state.channels.rasa = rasa
        app.state.channels.http = httpx.AsyncClient(transport=httpx.MockTransport(platform))
        yield client


@pytest.fixture()
def client(tmp_path: Path, rasa: StandInRasa, platform: Platform) -> Iterator[TestClient]:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path, **SECRETS)
    yield from client_for(settings, rasa, platform)


def telegram(client: TestClient, update: dict, secret: str = SECRETS["telegram_secret_token"]):
    return client.post(
        "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
    )


UPDATE = {
    "update_id": 7,
    "message": {"message_id": 1, "chat": {"id": 42, "type": "private"}, "text": "shampoo"},
}


def test_telegram_answers_once_with_an_inline_keyboard(
    client: TestClient, rasa: StandInRasa, platform: Platform
) -> None:
    assert telegram(client, UPDATE).json() == {"ok": True}
    assert telegram(client, UPDATE).json() == {"ok": True}  # a re-delivery
    assert rasa.received == [("telegram-42", "shampoo")]
    assert [str(r.url) for r in platform.calls] == [
        "https://api.telegram.org/bot1:tok/sendMessage"
    ] * 2
    cards = platform.bodies()[1]
    assert "Himalaya · ₹150 (was ₹180) · ★4.2" in cards["text"]
    buttons = [b["callback_data"] for row in cards["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["add the first one to my cart", "show me cheaper ones"]


def test_a_wrong_secret_reaches_neither_the_bot_nor_the_platform(
    client: TestClient, rasa: StandInRasa, platform: Platform
) -> None:
    assert telegram(client, UPDATE, secret="guess").status_code == 401
    assert rasa.received == [] and platform.calls == []


def test_a_channel_without_settings_is_off(
    tmp_path: Path, rasa: StandInRasa, platform: Platform
) -> None:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path)
    for client in client_for(settings, rasa, platform):
        assert telegram(client, UPDATE).status_code == 404
        assert client.post("/webhooks/slack", json={}).status_code == 404


def slack_headers(body: bytes, age_s: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age_s)
    base_string = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(SECRETS["slack_signing_secret"].encode(), base_string, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


def slack_event(**event: str) -> bytes:
    payload = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": event}
    return json.dumps(payload).encode()


def test_slack_ignores_its_own_messages_and_refuses_stale_signatures(
    client: TestClient, rasa: StandInRasa, platform: Platform
) -> None:
    own = slack_event(type="message", channel="D1", bot_id="B1", text="Here you go:")
    assert (
        client.post("/webhooks/slack", content=own, headers=slack_headers(own)).status_code == 200
    )
    body = slack_event(type="message", channel="D1", user="U1", text="shampoo")
    stale = client.post("/webhooks/slack", content=body, headers=slack_headers(body, age_s=301))
    assert stale.status_code == 401
    assert rasa.received == []
    fresh = client.post("/webhooks/slack", content=body, headers=slack_headers(body))
    assert fresh.status_code == 200
    assert rasa.received == [("slack-T1-U1", "shampoo")]
    blocks = platform.bodies()[0]["blocks"]
    assert blocks[1]["accessory"]["value"] == "add the first one to my cart"
    assert blocks[-1]["elements"][0]["value"] == "show me cheaper ones"


def test_whatsapp_verification_and_a_list_with_retried_sends(
    tmp_path: Path, rasa: StandInRasa
) -> None:
    platform = Platform(failures=2)  # two 500s, then the send goes through
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path, **SECRETS)
    for client in client_for(settings, rasa, platform):
        check = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "99"}
        assert client.get("/webhooks/whatsapp", params=check).text == "99"
        message = {"from": "1650", "id": "wamid.1", "type": "text", "text": {"body": "shampoo"}}
        change = {"field": "messages", "value": {"messages": [message]}}
        body = json.dumps(
            {"object": "whatsapp_business_account", "entry": [{"changes": [change]}]}
        ).encode()
        signature = hmac.new(SECRETS["whatsapp_app_secret"].encode(), body, hashlib.sha256)
        headers = {"X-Hub-Signature-256": f"sha256={signature.hexdigest()}"}
        assert client.post("/webhooks/whatsapp", content=body, headers=headers).status_code == 200
        forged = {"X-Hub-Signature-256": "sha256=" + "0" * 64}
        assert client.post("/webhooks/whatsapp", content=body, headers=forged).status_code == 401
    assert rasa.received == [("whatsapp-1650", "shampoo")]
    sent = platform.bodies()
    assert len(sent) == 4  # the text after two failed attempts, then the list
    listed = sent[-1]["interactive"]
    assert listed["type"] == "list"
    assert [r["id"] for s in listed["action"]["sections"] for r in s["rows"]] == [
        "add the first one to my cart",
        "show me cheaper ones",
    ]


def test_a_send_failing_every_attempt_is_recorded(
    tmp_path: Path, rasa: StandInRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "BACKOFF_S", 0.0)
    platform = Platform(failures=100)
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path, **SECRETS)
    for client in client_for(settings, rasa, platform):
        telegram(client, UPDATE)
        failures = client.app.state.channels.failures  # type: ignore[attr-defined]
        health = client.get("/healthz").json()
    assert len(platform.calls) == 2 * base.SEND_ATTEMPTS
    assert [f["channel"] for f in failures] == ["telegram", "telegram"]
    assert health["channel_send_failures"] == 2
    assert health["channels"] == {
        "telegram": True,
        "slack": True,
        "messenger": False,
        "whatsapp": True,
    }


def test_production_refuses_a_half_configured_channel() -> None:
    strong = {k: "s" * 20 for k in ("session_secret", "support_token", "rasa_token")}
    with pytest.raises(ValueError, match="AISLE_TELEGRAM_SECRET_TOKEN"):
        Settings(_env_file=None, environment="production", telegram_bot_token="1:x", **strong)
    with pytest.raises(ValueError, match="ALLOWED_ORIGINS"):
        Settings(_env_file=None, environment="production", allowed_origins="*", **strong)
