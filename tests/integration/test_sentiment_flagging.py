"""Through the real stack: a shopper's negative reactions change the suggestions, and the
conversation is flagged for the support team within a second."""

from __future__ import annotations

import time

import httpx
import pytest

from aisle.stack import Stack
from tests.helpers.chat import cards

pytestmark = pytest.mark.integration

COMPLAINT = "these are all ugly and way too expensive"


def support(stack: Stack, path: str) -> httpx.Response:
    token = stack.settings.support_token
    return httpx.get(
        f"{stack.settings.gateway_url}/api/support{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_negative_reactions_change_suggestions_and_flag_the_conversation(chat, stack) -> None:
    first = cards(chat("calm-shopper", "show me shampoo"))
    again = cards(chat("calm-shopper", "show me shampoo"))
    assert first and [p["id"] for p in again] == [p["id"] for p in first]

    shown = cards(chat("upset-shopper", "show me shampoo"))
    assert [p["id"] for p in shown] == [p["id"] for p in first]
    seen = {p["id"] for p in shown}
    cheapest = min(p["price"] for p in shown)
    for _ in range(2):
        answer = chat("upset-shopper", COMPLAINT)
        suggestions = cards(answer)
        assert suggestions, answer
        assert not seen & {p["id"] for p in suggestions}
        assert max(p["price"] for p in suggestions) < cheapest
        seen |= {p["id"] for p in suggestions}
        cheapest = min(p["price"] for p in suggestions)
        sent_at = time.monotonic()
    assert any("person" in b["payload"] for m in answer for b in m.get("buttons", []))

    while True:
        flagged = support(stack, "/conversations?status=flagged").json()
        if any(c["sender_id"] == "upset-shopper" for c in flagged) or (
            time.monotonic() - sent_at > 1.0
        ):
            break
        time.sleep(0.05)
    assert "upset-shopper" in [c["sender_id"] for c in flagged], flagged
    assert "calm-shopper" not in [c["sender_id"] for c in flagged]
    assert time.monotonic() - sent_at <= 1.0
    transcript = support(stack, "/conversations/upset-shopper").json()
    tipping = transcript["turns"][transcript["tipping_turn"]]
    assert tipping["speaker"] == "customer" and tipping["text"] == COMPLAINT
    customer = [t for t in transcript["turns"] if t["speaker"] == "customer"]
    assert all(t["sentiment"] is not None for t in customer)
    assert any(t["products"] for t in transcript["turns"] if t["speaker"] == "agent")


def test_the_support_api_needs_its_token(stack) -> None:
    url = f"{stack.settings.gateway_url}/api/support/conversations"
    assert httpx.get(url, timeout=10).status_code == 401
