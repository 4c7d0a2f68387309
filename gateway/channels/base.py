"""What every channel shares: verified inbound messages, de-duplication (the platform's id of
an update is its message id: support/answered_messages.py), ordered relaying and outbound sends with
retries."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.settings import Settings
from gateway.conversation import answer_once
from gateway.rasa_client import BotMessage, RasaClient

logger = logging.getLogger(__name__)

SEND_ATTEMPTS = 4
BACKOFF_S = 0.5  # then 1 s, 2 s


@dataclass(frozen=True)
class Inbound:
    """One shopper message from a platform: ``delivery_id`` is the platform's id of the
    update (re-deliveries repeat it); ``text`` is what was typed or a button's payload."""

    channel: str
    delivery_id: str
    sender: str
    text: str
    reply_to: dict[str, str] = field(default_factory=dict)  # chat / channel / recipient ids


@dataclass(frozen=True)
class Outbound:
    """One call to a platform's send API."""

    url: str
    json: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


Renderer = Callable[[Settings, Inbound, Sequence[BotMessage]], list[Outbound]]


def hub_signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Meta's ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return header is not None and hmac.compare_digest(header.encode(), expected.encode())


def payload_buttons(replies: Sequence[BotMessage]) -> list[dict[str, str]]:
    """Every button of the replies (``buttons`` and those inside a product-cards payload)."""
    buttons: list[dict[str, str]] = []
    for reply in replies:
        buttons += reply.get("buttons") or []
        custom = reply.get("custom")
        if isinstance(custom, dict):
            buttons += custom.get("buttons") or []
    return [b for b in buttons if b.get("title") and b.get("payload")]


def product_cards(reply: BotMessage) -> list[dict[str, Any]]:
    custom = reply.get("custom")
    if isinstance(custom, dict) and custom.get("type") == "product_cards":
        return list(custom.get("products") or [])
    return []


def reply_text(reply: BotMessage) -> str:
    """The text of a reply; a product list's numbered text form for text-only channels."""
    custom = reply.get("custom")
    custom_text = custom.get("text", "") if isinstance(custom, dict) else ""
    return reply.get("text") or custom_text or ""


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def add_to_cart_payload(position: int) -> str:
    """What a card's "Add to cart" button says back: the bot resolves "the second one"."""
    return f"add the {ORDINALS[position]} one to my cart"


def card_line(card: dict[str, Any]) -> str:
    """``Brand · size · ₹120 (was ₹150) · ★4.2``: a card's details on one line."""
    price = card.get("price_text") or ""
    if card.get("list_price_text"):
        price += f" (was {card['list_price_text']})"
    rating = f"★{card['rating']:.1f}" if card.get("rating") is not None else ""
    return " · ".join(p for p in (card.get("brand"), card.get("size"), price, rating) if p)


class Channels:
    """The channels' shared state: an HTTP client for the platforms and one lock per shopper
    (answers in order; a re-delivery waits for the first delivery and is answered once)."""

    def __init__(self, rasa: RasaClient, settings: Settings) -> None:
        self.rasa = rasa
        self.settings = settings
        self.http = httpx.AsyncClient(timeout=10.0)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.failures: list[dict[str, Any]] = []  # the last sends that failed every attempt

    async def close(self) -> None:
        await self.http.aclose()

    async def handle(self, message: Inbound, render: Renderer) -> None:
        """Relay one message (guards, hand-off, Rasa, turn recording) and send the answer; a
        re-delivery of a message already answered is dropped."""
        lock = self._locks.setdefault(message.sender, asyncio.Lock())  # gone when unused
        async with lock:
            try:
                answer = await answer_once(
                    self.rasa,
                    self.settings,
                    message.sender,
                    message.text,
                    f"{message.channel}:{message.delivery_id}",
                )
                if answer.repeated:
                    return
                for outbound in render(self.settings, message, answer.replies):
                    await self.send(message.channel, outbound)
            except Exception:
                logger.exception("%s: could not answer %s", message.channel, message.sender)

    async def send(self, channel: str, outbound: Outbound) -> bool:
        """POST to the platform, retrying network errors, 429 and 5xx with backoff; a send
        that fails every attempt is logged and kept in ``failures``."""
        error = ""
        for attempt in range(SEND_ATTEMPTS):
            if attempt:
                await asyncio.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                response = await self.http.post(
                    outbound.url, json=outbound.json, headers=outbound.headers
                )
            except httpx.HTTPError as exc:
                error = repr(exc)
                continue
            if response.status_code < 400 and _platform_ok(response):
                return True
            error = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code < 500 and response.status_code != 429:
                break  # a refusal that a retry will not change
        logger.error("%s: send failed after retries: %s", channel, error)
        self.failures = [*self.failures[-99:], {"channel": channel, "error": error}]
        return False


def _platform_ok(response: httpx.Response) -> bool:
    """Slack answers 200 with ``{"ok": false}`` on errors; the others use HTTP statuses."""
    try:
        body = response.json()
    except ValueError:
        return True
    return not (isinstance(body, dict) and body.get("ok") is False)
