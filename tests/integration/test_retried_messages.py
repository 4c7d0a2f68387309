"""Client message ids on the real stack: a retried "add to cart" adds once."""

from __future__ import annotations

import httpx
import pytest

from aisle.stack import Stack
from core.database import session_scope
from gateway.sessions import issue_token
from shop.cart import quantities
from tests.helpers.chat import cards

pytestmark = pytest.mark.integration


def test_a_retried_add_to_cart_adds_once_and_gets_the_same_answer(stack: Stack):
    settings, sender = stack.settings, "retry-shopper"
    headers = {"Authorization": f"Bearer {issue_token(settings, sender)}"}

    def send(message: str, message_id: str) -> list[dict]:
        body = {"message": message, "message_id": message_id}
        response = httpx.post(
            f"{settings.gateway_url}/api/chat", json=body, headers=headers, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    shown = cards(send("show me green tea", "m-1"))
    assert shown
    added = send("add the first one to my cart", "m-2")
    assert send("add the first one to my cart", "m-2") == added  # the retry
    with session_scope(settings) as session:
        assert quantities(session, sender) == {shown[0]["id"]: 1}
    send("add the first one to my cart", "m-3")  # a new message: a second add
    with session_scope(settings) as session:
        assert quantities(session, sender) == {shown[0]["id"]: 2}
