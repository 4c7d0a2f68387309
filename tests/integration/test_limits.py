"""One message in flight per shopper on the real stack: a double-send 50 ms apart leaves the
transcript exactly as if the two messages had been sent one after the other."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from aisle.stack import Stack
from core.database import session_scope
from gateway.sessions import issue_token
from support.conversations import TurnRecord

MESSAGES = ["show me green tea", "hi there"]


def transcript(stack: Stack, sender: str) -> list[tuple[int, str, str, str | None]]:
    with session_scope(stack.settings) as session:
        rows = session.scalars(
            select(TurnRecord).where(TurnRecord.sender_id == sender).order_by(TurnRecord.id)
        )
        return [(r.position, r.speaker, r.text, r.intent) for r in rows]


def test_a_double_send_50_ms_apart_is_recorded_exactly(stack: Stack, chat):
    for message in MESSAGES:  # the reference: one after the other
        chat("serial-shopper", message)
    token = issue_token(stack.settings, "double-sender")

    def send(message: str) -> httpx.Response:
        return httpx.post(
            f"{stack.settings.gateway_url}/api/chat",
            json={"message": message},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(send, MESSAGES[0])
        time.sleep(0.05)
        second = pool.submit(send, MESSAGES[1])
        answers = [first.result(), second.result()]
    assert [a.status_code for a in answers] == [200, 200]
    serial, doubled = transcript(stack, "serial-shopper"), transcript(stack, "double-sender")
    shopper_turns = [
        (text, intent) for _, speaker, text, intent in doubled if speaker == "customer"
    ]
    assert shopper_turns == [(t, i) for _, s, t, i in serial if s == "customer"]
    assert [t for t, _ in shopper_turns] == MESSAGES
    assert [p for p, *_ in doubled] == list(range(len(doubled)))  # unique, in order
