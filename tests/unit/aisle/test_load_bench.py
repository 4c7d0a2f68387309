import asyncio
import json
from collections import Counter

import httpx

from aisle.load_bench import ADD, SHOW_CART, Shopper, run_shopper, script
from gateway.rasa_client import APOLOGY_TIMED_OUT


def test_a_script_alternates_searches_and_adds_and_ends_by_showing_the_cart():
    messages = script(3, 6)
    assert messages[1::2][:2] == [ADD, ADD] and messages[-1] == SHOW_CART
    assert len(messages) == 6 and messages[0] != messages[2]  # two different searches


def test_a_shopper_is_lost_when_the_transcript_or_cart_differs_from_what_they_did():
    shopper = Shopper(1, ["tea", ADD, SHOW_CART], answered=["tea", ADD, SHOW_CART])
    shopper.transcript = ["tea", ADD, SHOW_CART]
    shopper.added = shopper.cart = Counter({"bb-1": 1})
    assert shopper.problems() == []
    shopper.transcript = ["tea", SHOW_CART, ADD]  # reordered
    shopper.cart = Counter({"bb-1": 2})  # added twice
    assert len(shopper.problems()) == 2


def test_a_cart_not_shown_or_after_an_unanswered_add_is_not_judged():
    shopper = Shopper(2, ["tea", ADD, SHOW_CART], answered=["tea", ADD, SHOW_CART])
    shopper.transcript = ["tea", ADD, SHOW_CART]
    shopper.added = Counter({"bb-1": 1})
    assert shopper.cart is None and shopper.problems() == []


def test_a_cart_after_a_search_that_timed_out_is_not_judged():
    """Rasa finished the search the gateway stopped waiting for, so the next add took its
    first product, which the shopper never saw."""

    def gateway(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/session":
            return httpx.Response(200, json={"token": "t"})
        if request.url.path == "/api/chat/messages":
            return httpx.Response(200, json=[{"speaker": "shopper", "text": m} for m in sent])
        sent.append(json.loads(request.content)["message"])
        replies = {
            "tea": [{"text": APOLOGY_TIMED_OUT}],
            ADD: [{"text": "Added."}],
            SHOW_CART: [{"custom": {"products": [{"id": "bb-1"}]}}],
        }
        return httpx.Response(200, json=replies[sent[-1]])

    sent: list[str] = []
    shopper = Shopper(3, ["tea", ADD, SHOW_CART])
    transport = httpx.MockTransport(gateway)

    async def run() -> None:
        async with httpx.AsyncClient(base_url="http://gw", transport=transport) as client:
            await run_shopper(client, shopper)

    asyncio.run(run())
    assert shopper.errors == 1 and shopper.answered == ["tea", ADD, SHOW_CART]
    assert shopper.cart is None and shopper.problems() == []
