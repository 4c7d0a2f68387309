"""Slack Events API and interactivity: signed requests in, Block Kit through ``chat.postMessage``.

https://api.slack.com/authentication/verifying-requests-from-slack,
https://api.slack.com/apis/events-api. A button's ``value`` is its payload, posted back as the
shopper's message (``block_actions``). The bot's own messages (``bot_id``, subtypes) are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Sequence
from typing import Any

from core.settings import Settings
from gateway.channels.base import (
    Inbound,
    Outbound,
    add_to_cart_payload,
    card_line,
    payload_buttons,
    product_cards,
    reply_text,
)
from gateway.rasa_client import BotMessage

REPLAY_WINDOW_S = 300
_MENTION = re.compile(r"<@[A-Z0-9]+>\s*")


def signature_ok(
    secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None
) -> bool:
    """Slack's v0 signature over ``v0:{timestamp}:{body}``, within the 5-minute window."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs((now or time.time()) - int(timestamp)) > REPLAY_WINDOW_S:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature.encode(), expected.encode())


def parse_event(payload: dict[str, Any]) -> list[Inbound]:
    """The shopper message of an ``event_callback`` (a message or a mention), if any."""
    event = payload.get("event") or {}
    if event.get("type") not in ("message", "app_mention"):
        return []
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return []  # the bot's own messages, edits, joins…
    text = _MENTION.sub("", event.get("text") or "").strip()
    team = payload.get("team_id") or event.get("team", "")
    return [
        Inbound(
            "slack",
            str(payload.get("event_id") or event.get("client_msg_id") or event.get("ts")),
            f"slack-{team}-{event['user']}",
            text,
            {"channel": event["channel"]},
        )
    ]


def parse_action(payload: dict[str, Any]) -> list[Inbound]:
    """A button press (``block_actions``): its value is the shopper's message."""
    if payload.get("type") != "block_actions" or not payload.get("actions"):
        return []
    action = payload["actions"][0]
    user = payload.get("user") or {}
    team = (payload.get("team") or {}).get("id") or user.get("team_id", "")
    channel = (payload.get("channel") or {}).get("id") or (payload.get("container") or {}).get(
        "channel_id", ""
    )
    delivery = payload.get("trigger_id") or action.get("action_ts", "")
    return [
        Inbound(
            "slack",
            str(delivery),
            f"slack-{team}-{user.get('id')}",
            action.get("value", ""),
            {"channel": channel},
        )
    ]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _button(title: str, payload: str, action_id: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": title[:75], "emoji": True},
        "value": payload[:2000],
        "action_id": action_id,
    }


def blocks(replies: Sequence[BotMessage]) -> list[dict[str, Any]]:
    """Block Kit: text sections, a section per product with an "Add to cart" button, and the
    buttons as an actions block."""
    out: list[dict[str, Any]] = []
    for reply in replies:
        cards = product_cards(reply)
        for i, card in enumerate(cards[:8]):
            lines = [f"*{_escape(str(card.get('title', '')))}*", _escape(card_line(card))]
            if card.get("reason"):
                lines.append(f"_{_escape(card['reason'])}_")
            section = {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}
            section["accessory"] = _button("Add to cart", add_to_cart_payload(i), f"add-{i}")
            out.append(section)
        if not cards and (text := reply_text(reply)):
            out.append({"type": "section", "text": {"type": "mrkdwn", "text": _escape(text)}})
    buttons = payload_buttons(replies)[:25]
    if buttons:
        elements = [_button(b["title"], b["payload"], f"next-{i}") for i, b in enumerate(buttons)]
        out.append({"type": "actions", "elements": elements})
    return out[:50]


def render(settings: Settings, to: Inbound, replies: Sequence[BotMessage]) -> list[Outbound]:
    """One ``chat.postMessage`` with the replies as Block Kit (``text`` as the fallback)."""
    fallback = "\n".join(reply_text(r) for r in replies if reply_text(r))
    body = {"channel": to.reply_to["channel"], "text": fallback[:3000], "blocks": blocks(replies)}
    headers = {"Authorization": f"Bearer {settings.slack_bot_token}"}
    return [Outbound(f"{settings.slack_api_url}/chat.postMessage", body, headers)]
