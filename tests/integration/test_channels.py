"""Telegram, Slack, Messenger and WhatsApp through the real gateway, Rasa and action server.

Payloads follow each platform's documented webhook format; the platforms' APIs are a loopback
stand-in (``platforms`` in conftest.py) that records every outbound call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode

import httpx
import pytest

from aisle.stack import Stack
from tests.integration.conftest import CHANNEL_SECRETS, PlatformStandIn

pytestmark = pytest.mark.integration

ADD_FIRST = "add the first one to my cart"
SEARCH = "show me shampoo under 200"


def post(stack: Stack, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    started = time.perf_counter()
    response = httpx.post(f"{stack.settings.gateway_url}{path}", content=body, headers=headers)
    if response.status_code == 200:  # acknowledged before the bot answers
        assert time.perf_counter() - started < 3.0
    return response


def unique() -> int:
    return uuid.uuid4().int % 10**9


def rasa_saw(stack: Stack, sender: str) -> bool:
    """Whether Rasa's tracker of ``sender`` holds any shopper message."""
    tracker = httpx.get(
        f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.settings.rasa_token},
        timeout=30,
    ).json()
    return any(event.get("event") == "user" for event in tracker.get("events") or [])


def hub_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- Telegram ---------------------------------------------------------------------------------


def telegram_update(chat: int, text: str | None = None, data: str | None = None) -> dict:
    """https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates"""
    user = {"id": chat, "is_bot": False, "first_name": "Test", "username": "Test"}
    message = {
        "message_id": unique(),
        "from": user,
        "chat": {"id": chat, "type": "private", "first_name": "Test", "username": "Test"},
        "date": int(time.time()),
        "text": text or "menu",
    }
    update: dict = {"update_id": unique()}
    if data is None:
        update["message"] = message
    else:
        update["callback_query"] = {
            "id": str(unique()),
            "from": user,
            "message": message,
            "chat_instance": "-1234567890",
            "data": data,
        }
    return update


def telegram(stack: Stack, update: dict, secret: str | None = None) -> httpx.Response:
    token = CHANNEL_SECRETS["telegram_secret_token"] if secret is None else secret
    return post(
        stack,
        "/webhooks/telegram",
        json.dumps(update).encode(),
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": token},
    )


def sent_to_chat(chat: int):
    return lambda c: c["path"].endswith("/sendMessage") and c["json"]["chat_id"] == str(chat)


def test_telegram_search_then_a_button_round_trip(stack: Stack, platforms: PlatformStandIn):
    chat = unique()
    assert telegram(stack, telegram_update(chat, SEARCH)).status_code == 200
    listed = platforms.wait_for(lambda c: sent_to_chat(chat)(c) and "reply_markup" in c["json"])
    listed = listed[0]["json"]  # the product list, the turn's last message
    answer = [c for c in platforms.calls if sent_to_chat(chat)(c)]
    assert answer[0]["path"] == f"/bot{CHANNEL_SECRETS['telegram_bot_token']}/sendMessage"
    assert "₹" in listed["text"]
    keyboard = [b for row in listed["reply_markup"]["inline_keyboard"] for b in row]
    assert {"callback_data": ADD_FIRST}.items() <= keyboard[0].items()

    press = telegram_update(chat, data=keyboard[0]["callback_data"])
    assert telegram(stack, press).status_code == 200
    after = platforms.wait_for(sent_to_chat(chat), count=len(answer) + 1)
    assert "cart" in after[-1]["json"]["text"].lower()
    acked = platforms.wait_for(lambda c: c["path"].endswith("/answerCallbackQuery"))
    assert acked[-1]["json"]["callback_query_id"] == press["callback_query"]["id"]


def test_telegram_redelivery_is_answered_once(stack: Stack, platforms: PlatformStandIn):
    chat = unique()
    update = telegram_update(chat, "hi")
    assert telegram(stack, update).status_code == 200
    assert telegram(stack, update).status_code == 200  # Telegram re-sends the same update_id
    first = platforms.wait_for(sent_to_chat(chat))
    time.sleep(3)
    assert len(platforms.wait_for(sent_to_chat(chat))) == len(first)


def test_telegram_wrong_or_missing_secret_is_refused(stack: Stack, platforms: PlatformStandIn):
    chat = unique()
    assert telegram(stack, telegram_update(chat, SEARCH), secret="guessed").status_code == 401
    response = httpx.post(
        f"{stack.settings.gateway_url}/webhooks/telegram", json=telegram_update(chat, SEARCH)
    )
    assert response.status_code == 401
    time.sleep(1)
    assert not rasa_saw(stack, f"telegram-{chat}")
    assert not [c for c in platforms.calls if sent_to_chat(chat)(c)]


# --- Slack ------------------------------------------------------------------------------------


def slack_headers(body: bytes, content_type: str, age_s: int = 0, secret: str | None = None):
    timestamp = str(int(time.time()) - age_s)
    key = (secret or CHANNEL_SECRETS["slack_signing_secret"]).encode()
    digest = hmac.new(key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def slack_event(user: str, text: str, channel: str) -> dict:
    """https://api.slack.com/apis/events-api#callback-field and the message.im event."""
    return {
        "token": "XXYYZZ",
        "team_id": "T123ABC456",
        "api_app_id": "A123ABC456",
        "event": {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "event_ts": f"{time.time():.6f}",
            "channel_type": "im",
        },
        "type": "event_callback",
        "authed_users": ["U0LAN0Z89"],
        "event_id": f"Ev{unique()}",
        "event_time": int(time.time()),
    }


def slack_json(stack: Stack, payload: dict, **kwargs) -> httpx.Response:
    body = json.dumps(payload).encode()
    return post(stack, "/webhooks/slack", body, slack_headers(body, "application/json", **kwargs))


def posted_to(channel: str):
    return lambda c: c["path"] == "/chat.postMessage" and c["json"]["channel"] == channel


def test_slack_url_verification_search_and_a_button_round_trip(
    stack: Stack, platforms: PlatformStandIn
):
    challenge = {
        "token": "x",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gm",
        "type": "url_verification",
    }
    assert slack_json(stack, challenge).json() == {"challenge": challenge["challenge"]}

    user, channel = f"U{unique()}", f"D{unique()}"
    assert slack_json(stack, slack_event(user, SEARCH, channel)).status_code == 200
    answer = platforms.wait_for(posted_to(channel))[0]
    assert answer["headers"]["Authorization"] == f"Bearer {CHANNEL_SECRETS['slack_bot_token']}"
    sections = [b for b in answer["json"]["blocks"] if b.get("accessory")]
    assert sections and "₹" in sections[0]["text"]["text"]
    assert sections[0]["accessory"]["value"] == ADD_FIRST

    action = {  # https://api.slack.com/reference/interaction-payloads/block-actions
        "type": "block_actions",
        "user": {"id": user, "username": "shopper", "team_id": "T123ABC456"},
        "api_app_id": "A123ABC456",
        "token": "XXYYZZ",
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": False},
        "trigger_id": f"{unique()}.{unique()}",
        "team": {"id": "T123ABC456", "domain": "shop"},
        "channel": {"id": channel, "name": "directmessage"},
        "actions": [
            {
                "action_id": "add-0",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Add to cart"},
                "value": ADD_FIRST,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(action)}).encode()
    form = slack_headers(body, "application/x-www-form-urlencoded")
    assert post(stack, "/webhooks/slack", body, form).status_code == 200
    after = platforms.wait_for(posted_to(channel), count=2)[-1]
    assert "cart" in after["json"]["text"].lower()
    assert rasa_saw(stack, f"slack-T123ABC456-{user}")


def test_slack_retries_are_answered_once(stack: Stack, platforms: PlatformStandIn):
    channel = f"D{unique()}"
    event = slack_event(f"U{unique()}", "hi", channel)
    assert slack_json(stack, event).status_code == 200
    body = json.dumps(event).encode()
    retry = {**slack_headers(body, "application/json"), "X-Slack-Retry-Num": "1"}
    assert post(stack, "/webhooks/slack", body, retry).status_code == 200
    platforms.wait_for(posted_to(channel))
    time.sleep(3)
    assert len(platforms.wait_for(posted_to(channel))) == 1


@pytest.mark.parametrize("forgery", ["stale", "wrong secret", "unsigned"])
def test_slack_forged_or_stale_requests_are_refused(
    forgery: str, stack: Stack, platforms: PlatformStandIn
):
    user, channel = f"U{unique()}", f"D{unique()}"
    event = slack_event(user, SEARCH, channel)
    if forgery == "unsigned":
        response = httpx.post(f"{stack.settings.gateway_url}/webhooks/slack", json=event)
    elif forgery == "stale":
        response = slack_json(stack, event, age_s=6 * 60)
    else:
        response = slack_json(stack, event, secret="not-the-signing-secret")
    assert response.status_code == 401
    time.sleep(1)
    assert not rasa_saw(stack, f"slack-T123ABC456-{user}")
    assert not [c for c in platforms.calls if posted_to(channel)(c)]


# --- Messenger and WhatsApp -----------------------------------------------------------------


def meta_post(stack: Stack, name: str, payload: dict, secret: str | None = None):
    body = json.dumps(payload).encode()
    key = secret or CHANNEL_SECRETS[f"{name}_app_secret"]
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": hub_signature(key, body)}
    return post(stack, f"/webhooks/{name}", body, headers)


@pytest.mark.parametrize("name", ["messenger", "whatsapp"])
def test_meta_webhook_verification(name: str, stack: Stack):
    url = f"{stack.settings.gateway_url}/webhooks/{name}"
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": CHANNEL_SECRETS[f"{name}_verify_token"],
        "hub.challenge": "1158201444",
    }
    assert httpx.get(url, params=good).text == "1158201444"
    assert httpx.get(url, params={**good, "hub.verify_token": "guess"}).status_code == 403


def messenger_event(psid: str, text: str | None = None, postback: str | None = None) -> dict:
    """https://developers.facebook.com/docs/messenger-platform/reference/webhook-events"""
    event: dict = {
        "sender": {"id": psid},
        "recipient": {"id": "PAGE_ID"},
        "timestamp": int(time.time() * 1000),
    }
    if postback is None:
        event["message"] = {"mid": f"m_{unique()}", "text": text}
    else:
        event["postback"] = {"title": "Add to cart", "payload": postback, "mid": f"m_{unique()}"}
    return {
        "object": "page",
        "entry": [{"id": "PAGE_ID", "time": event["timestamp"], "messaging": [event]}],
    }


def to_psid(psid: str):
    return lambda c: c["path"].startswith("/me/messages") and c["json"]["recipient"]["id"] == psid


def test_messenger_carousel_and_a_postback_round_trip(stack: Stack, platforms: PlatformStandIn):
    psid = str(unique())
    assert meta_post(stack, "messenger", messenger_event(psid, SEARCH)).status_code == 200
    carousel = platforms.wait_for(
        lambda c: to_psid(psid)(c) and "attachment" in c["json"]["message"]
    )[0]
    answer = [c for c in platforms.calls if to_psid(psid)(c)]
    assert answer[0]["path"].endswith(f"access_token={CHANNEL_SECRETS['messenger_page_token']}")
    elements = carousel["json"]["message"]["attachment"]["payload"]["elements"]
    assert elements and "₹" in elements[0]["subtitle"]
    assert elements[0]["buttons"][0]["payload"] == ADD_FIRST

    again = messenger_event(psid, postback=ADD_FIRST)
    assert meta_post(stack, "messenger", again).status_code == 200
    assert meta_post(stack, "messenger", again).status_code == 200  # re-delivered: same mid
    after = platforms.wait_for(to_psid(psid), count=len(answer) + 1)
    time.sleep(3)
    replies = [c for c in platforms.calls if to_psid(psid)(c)][len(answer) :]
    assert "cart" in json.dumps(replies).lower()
    assert len(replies) == len(after) - len(answer)  # answered once


def whatsapp_message(phone: str, text: str | None = None, reply_id: str | None = None) -> dict:
    """https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples"""
    message: dict = {"from": phone, "id": f"wamid.{unique()}", "timestamp": str(int(time.time()))}
    if reply_id is None:
        message |= {"type": "text", "text": {"body": text}}
    else:
        message |= {
            "type": "interactive",
            "interactive": {
                "type": "list_reply",
                "list_reply": {"id": reply_id, "title": "Add 1.", "description": "…"},
            },
        }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": phone}],
        "messages": [message],
    }
    change = {"value": value, "field": "messages"}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [change]}],
    }


def to_phone(phone: str):
    return lambda c: c["path"].endswith("/106540352242922/messages") and c["json"]["to"] == phone


def test_whatsapp_list_and_a_list_reply_round_trip(stack: Stack, platforms: PlatformStandIn):
    phone = f"1650555{unique() % 10**4:04d}"
    assert meta_post(stack, "whatsapp", whatsapp_message(phone, SEARCH)).status_code == 200
    listed = platforms.wait_for(
        lambda c: to_phone(phone)(c) and c["json"]["type"] == "interactive"
    )[0]["json"]
    answer = [c for c in platforms.calls if to_phone(phone)(c)]
    auth = f"Bearer {CHANNEL_SECRETS['whatsapp_access_token']}"
    assert answer[0]["headers"]["Authorization"] == auth
    assert listed["interactive"]["type"] == "list" and "₹" in listed["interactive"]["body"]["text"]
    rows = listed["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0]["id"] == ADD_FIRST and len(rows[0]["title"]) <= 24

    reply = whatsapp_message(phone, reply_id=rows[0]["id"])
    assert meta_post(stack, "whatsapp", reply).status_code == 200
    after = platforms.wait_for(to_phone(phone), count=len(answer) + 1)
    assert "cart" in json.dumps(after[len(answer) :]).lower()


@pytest.mark.parametrize("name", ["messenger", "whatsapp"])
def test_meta_forged_signatures_are_refused(name: str, stack: Stack, platforms: PlatformStandIn):
    user = str(unique())
    payload = (
        messenger_event(user, SEARCH) if name == "messenger" else whatsapp_message(user, SEARCH)
    )
    assert meta_post(stack, name, payload, secret="not-the-app-secret").status_code == 401
    unsigned = httpx.post(f"{stack.settings.gateway_url}/webhooks/{name}", json=payload)
    assert unsigned.status_code == 401
    time.sleep(1)
    assert not rasa_saw(stack, f"{name}-{user}")
    assert not [c for c in platforms.calls if user in json.dumps(c["json"])]


def test_an_agents_reply_reaches_the_telegram_shopper(stack: Stack, platforms: PlatformStandIn):
    """A person answering from the support API reaches a messaging shopper on their platform,
    and the bot stays paused until the conversation is handed back."""
    chat = unique()
    assert telegram(stack, telegram_update(chat, "I want to talk to a person")).status_code == 200
    before = len(platforms.wait_for(sent_to_chat(chat)))
    support = {"Authorization": f"Bearer {stack.settings.support_token}"}
    reply = httpx.post(
        f"{stack.settings.gateway_url}/api/support/conversations/telegram-{chat}/messages",
        json={"text": "Hi, this is Asha from the shop. How can I help?"},
        headers=support,
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    sent = platforms.wait_for(sent_to_chat(chat), count=before + 1)
    assert "this is Asha" in sent[-1]["json"]["text"]
    handed_back = httpx.post(
        f"{stack.settings.gateway_url}/api/support/conversations/telegram-{chat}/handback",
        headers=support,
        timeout=30,
    )
    assert handed_back.status_code == 200, handed_back.text
