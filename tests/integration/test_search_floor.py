"""The relevance floor through the real gateway, Rasa server and action server: things the shop
does not sell, a "cheaper" that runs out, a brand named with the product."""

from __future__ import annotations

import pytest

from tests.integration.test_conversation import product_cards, texts

pytestmark = pytest.mark.integration


def test_something_the_shop_does_not_sell_is_said_plainly_without_products(chat):
    answer = chat("floor-1", "show me televisions")
    assert product_cards(answer) == []
    reply = texts(answer)
    assert "couldn't find" in reply and "television" in reply and "we sell" in reply, reply


def test_cheaper_stops_at_the_cheapest_face_wash_instead_of_leaving_face_wash(chat):
    cards = product_cards(chat("floor-2", "show me face wash"))
    assert cards
    replies = []
    for _ in range(8):
        answer = chat("floor-2", "show me cheaper ones")
        replies.append(texts(answer))
        for card in product_cards(answer):
            text = f"{card['title']} {card['category']}".lower()
            assert "face" in text and "wash" in text, card
        if "already the cheapest" in replies[-1]:
            break
    assert "already the cheapest" in replies[-1], replies


def test_a_brand_named_with_the_product_filters_by_brand_and_keeps_the_product(chat):
    cards = product_cards(chat("floor-3", "pepsodent toothpaste"))
    assert cards
    assert {c["brand"] for c in cards} == {"Pepsodent"}
    assert all("toothpaste" in f"{c['title']} {c['category']}".lower() for c in cards)
