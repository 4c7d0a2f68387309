"""Meta's platforms: Messenger (Send API, generic-template carousels, quick replies) and the
WhatsApp Cloud API (interactive reply buttons and lists).

Both verify the webhook with ``hub.verify_token`` and sign deliveries with the app secret
(``X-Hub-Signature-256``, :func:`gateway.channels.base.hub_signature_ok`).
https://developers.facebook.com/docs/messenger-platform/webhooks,
https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

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


def verify_challenge(params: dict[str, str], verify_token: str) -> str | None:
    """The ``hub.challenge`` to echo when Meta's subscription check names our verify token."""
    if params.get("hub.mode") == "subscribe" and params.get("hub.verify_token") == verify_token:
        return params.get("hub.challenge", "")
    return None


# --- Messenger ---


def parse_messenger(payload: dict[str, Any]) -> list[Inbound]:
    """Text messages, quick-reply taps and postbacks (button taps) of a ``page`` delivery."""
    if payload.get("object") != "page":
        return []
    found = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            psid = str((event.get("sender") or {}).get("id", ""))
            message, postback = event.get("message") or {}, event.get("postback") or {}
            if message and not message.get("is_echo"):
                text = (message.get("quick_reply") or {}).get("payload") or message.get("text")
                mid = message.get("mid")
            elif postback:
                text, mid = postback.get("payload"), postback.get("mid")
            else:
                continue
            if psid and text:
                delivery = str(mid or f"{psid}-{event.get('timestamp')}")
                found.append(
                    Inbound("messenger", delivery, f"messenger-{psid}", text, {"psid": psid})
                )
    return found


def _generic_template(cards: list[dict[str, Any]]) -> dict[str, Any]:
    elements = []
    for i, card in enumerate(cards[:10]):
        element = {
            "title": str(card.get("title", ""))[:80],
            "subtitle": "\n".join(p for p in (card_line(card), card.get("reason")) if p)[:80],
            "buttons": [
                {"type": "postback", "title": "Add to cart", "payload": add_to_cart_payload(i)}
            ],
        }
        if card.get("image_url"):
            element["image_url"] = card["image_url"]
        elements.append(element)
    payload = {"template_type": "generic", "elements": elements}
    return {"attachment": {"type": "template", "payload": payload}}


def render_messenger(
    settings: Settings, to: Inbound, replies: Sequence[BotMessage]
) -> list[Outbound]:
    """Texts, product lists as a generic-template carousel, buttons as quick replies on the
    last message."""
    messages: list[dict[str, Any]] = []
    for reply in replies:
        if cards := product_cards(reply):
            messages.append(_generic_template(cards))
        elif text := reply_text(reply):
            messages.append({"text": text[:2000]})
    buttons = payload_buttons(replies)[:13]
    if buttons and messages:
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": b["title"][:20], "payload": b["payload"][:1000]}
            for b in buttons
        ]
    url = f"{settings.messenger_api_url}/me/messages"
    params = {"access_token": settings.messenger_page_token}
    return [
        Outbound(
            f"{url}?{urlencode(params)}",
            {"recipient": {"id": to.reply_to["psid"]}, "messaging_type": "RESPONSE", "message": m},
        )
        for m in messages
    ]


# --- WhatsApp ---


def parse_whatsapp(payload: dict[str, Any]) -> list[Inbound]:
    """Text messages and interactive replies (button or list row) of a Cloud API delivery;
    status updates carry no message and are skipped."""
    if payload.get("object") != "whatsapp_business_account":
        return []
    found = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            for message in (change.get("value") or {}).get("messages") or []:
                kind = message.get("type")
                if kind == "text":
                    text = (message.get("text") or {}).get("body")
                elif kind == "interactive":
                    interactive = message.get("interactive") or {}
                    text = (interactive.get(interactive.get("type", "")) or {}).get("id")
                elif kind == "button":
                    text = (message.get("button") or {}).get("payload")
                else:
                    text = None
                phone = str(message.get("from", ""))
                if phone and text:
                    found.append(
                        Inbound("whatsapp", message["id"], f"whatsapp-{phone}", text, {"to": phone})
                    )
    return found


def _row(payload: str, title: str, description: str = "") -> dict[str, str]:
    row = {"id": payload[:200], "title": title[:24]}
    if description:
        row["description"] = description[:72]
    return row


def _interactive(
    text: str, cards: list[dict[str, Any]], buttons: list[dict[str, str]]
) -> dict[str, Any]:
    """Reply buttons (up to 3, no products) or a list: "Add to cart" rows, then next steps."""
    body = {"text": text[:1024] or "Choose:"}
    if not cards and len(buttons) <= 3:
        replies = [
            {"type": "reply", "reply": {"id": b["payload"][:256], "title": b["title"][:20]}}
            for b in buttons
        ]
        return {"type": "button", "body": body, "action": {"buttons": replies}}
    sections = []
    if cards:
        rows = [
            _row(add_to_cart_payload(i), f"Add {i + 1}. {c.get('title', '')}", card_line(c))
            for i, c in enumerate(cards[:8])
        ]
        sections.append({"title": "Add to cart", "rows": rows})
    room = 10 - sum(len(s["rows"]) for s in sections)
    if buttons and room > 0:
        sections.append(
            {"title": "Next", "rows": [_row(b["payload"], b["title"]) for b in buttons[:room]]}
        )
    return {"type": "list", "body": body, "action": {"button": "Options", "sections": sections}}


def render_whatsapp(
    settings: Settings, to: Inbound, replies: Sequence[BotMessage]
) -> list[Outbound]:
    """Texts; a product list as numbered text with an interactive list to add one; buttons as
    reply buttons or list rows on the last message."""
    texts: list[tuple[str, list[dict[str, Any]]]] = []
    for reply in replies:
        cards = product_cards(reply)
        if cards:
            lines = [f"{i}. {c.get('title')} — {card_line(c)}" for i, c in enumerate(cards, 1)]
            texts.append(("\n".join(lines), cards))
        elif text := reply_text(reply):
            texts.append((text, []))
    buttons = payload_buttons(replies)
    url = f"{settings.whatsapp_api_url}/{settings.whatsapp_phone_number_id}/messages"
    headers = {"Authorization": f"Bearer {settings.whatsapp_access_token}"}
    calls = []
    for i, (text, cards) in enumerate(texts):
        last = i == len(texts) - 1
        base = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.reply_to["to"],
        }
        if cards or (last and buttons):
            message = {
                "type": "interactive",
                "interactive": _interactive(text, cards, buttons if last else []),
            }
        else:
            message = {"type": "text", "text": {"body": text[:4096]}}
        calls.append(Outbound(url, {**base, **message}, headers))
    return calls
