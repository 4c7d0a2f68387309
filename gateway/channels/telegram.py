"""Telegram Bot API: updates from ``setWebhook`` in, ``sendMessage`` with inline keyboards out.

https://core.telegram.org/bots/api#update. A button's ``callback_data`` is its payload, posted
back as the shopper's message (``callback_query``).
"""

from __future__ import annotations

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

CALLBACK_DATA_BYTES = 64  # Telegram's limit on callback_data
TEXT_CHARS = 4096


def parse(update: dict[str, Any]) -> list[Inbound]:
    """The shopper message of an update (a text message or a button press), if any."""
    delivery = str(update.get("update_id", ""))
    if message := update.get("message"):
        text = message.get("text")
        if not text or (message.get("from") or {}).get("is_bot"):
            return []
        chat = str(message["chat"]["id"])
        text = "hi" if text.strip().startswith("/start") else text
        return [Inbound("telegram", delivery, f"telegram-{chat}", text, {"chat_id": chat})]
    if query := update.get("callback_query"):
        chat = (query.get("message") or {}).get("chat", {}).get("id") or query["from"]["id"]
        reply_to = {"chat_id": str(chat), "callback_query_id": str(query["id"])}
        return [Inbound("telegram", delivery, f"telegram-{chat}", query.get("data", ""), reply_to)]
    return []


def _keyboard(rows: list[list[dict[str, str]]]) -> dict[str, Any]:
    return {"inline_keyboard": [row for row in rows if row]}


def _button(title: str, payload: str) -> list[dict[str, str]]:
    fits = len(payload.encode()) <= CALLBACK_DATA_BYTES
    return [{"text": title[:64], "callback_data": payload}] if fits else []


def render(settings: Settings, to: Inbound, replies: Sequence[BotMessage]) -> list[Outbound]:
    """One ``sendMessage`` per reply; product lists as numbered text with an "Add" button per
    product, and the replies' buttons on the last message."""
    url = f"{settings.telegram_api_url}/bot{settings.telegram_bot_token}"
    calls = []
    if "callback_query_id" in to.reply_to:  # stop the button's loading spinner
        calls.append(
            Outbound(
                f"{url}/answerCallbackQuery",
                {"callback_query_id": to.reply_to["callback_query_id"]},
            )
        )
    messages: list[tuple[str, list[list[dict[str, str]]]]] = []
    for reply in replies:
        cards = product_cards(reply)
        if cards:
            lines = [f"{i}. {c.get('title')}\n   {card_line(c)}" for i, c in enumerate(cards, 1)]
            rows = [
                _button(f"🛒 Add {i}. {c.get('title', '')}"[:40], add_to_cart_payload(i - 1))
                for i, c in enumerate(cards[:8], 1)
            ]
            messages.append(("\n".join(lines), rows))
        elif text := reply_text(reply):
            messages.append((text, []))
    if not messages:
        return calls
    next_steps = [_button(b["title"], b["payload"]) for b in payload_buttons(replies)]
    messages[-1] = (messages[-1][0], messages[-1][1] + next_steps)
    for text, rows in messages:
        body: dict[str, Any] = {"chat_id": to.reply_to["chat_id"], "text": text[:TEXT_CHARS]}
        if any(rows):
            body["reply_markup"] = _keyboard(rows)
        calls.append(Outbound(f"{url}/sendMessage", body))
    return calls
