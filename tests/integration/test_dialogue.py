"""Every shopping flow through the real gateway, Rasa server and action server (issue 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.conversation import HANDOFF_WAITING
from tests.helpers.chat import buttons, cards, texts

pytestmark = pytest.mark.integration


def money(amount: Decimal) -> str:
    return f"₹{amount:,.0f}" if amount == amount.to_integral() else f"₹{amount:,.2f}"


def test_refinements_keep_earlier_constraints_and_a_new_search_resets_them(chat):
    answer = chat("dlg-refine", "Himalaya face wash under 300")
    first = cards(answer)
    assert first and {c["brand"] for c in first} == {"Himalaya"}, answer
    assert all(c["price"] <= 300 for c in first)

    cheaper = chat("dlg-refine", "show me something cheaper")
    refined = cards(cheaper)
    assert refined, cheaper
    assert {c["brand"] for c in refined} == {"Himalaya"}  # the brand carried over
    assert max(c["price"] for c in refined) < min(c["price"] for c in first)

    rated = cards(chat("dlg-refine", "only ones rated 4 and above"))
    assert all(c["rating"] >= 4 for c in rated)

    fresh = chat("dlg-refine", "show me green tea")
    assert "Himalaya" not in texts(fresh)  # a new search drops the brand and budget
    assert any("tea" in (c["title"] + c["category"]).lower() for c in cards(fresh))


def test_details_compare_and_similar_refer_to_the_products_shown(chat):
    shown = cards(chat("dlg-refer", "show me shampoo under 200"))
    assert len(shown) == 5

    details = chat("dlg-refer", "what's the price of the second one?")
    assert shown[1]["title"] in texts(details)
    assert shown[1]["price_text"] in texts(details)
    assert buttons(details), "every reply offers a next step"

    compared = chat("dlg-refer", "compare the first two")
    assert [c["id"] for c in cards(compared)] == [shown[0]["id"], shown[1]["id"]]
    assert "Comparing 2 products" in texts(compared)

    again = cards(chat("dlg-refer", "show me shampoo under 200"))
    similar = cards(chat("dlg-refer", "show me more like the third one"))
    assert similar
    assert again[2]["id"] not in {c["id"] for c in similar}


def test_a_reference_past_the_end_of_the_list_is_explained(chat):
    assert len(cards(chat("dlg-sixth", "show me shampoo under 200"))) == 5
    answer = texts(chat("dlg-sixth", "tell me more about the sixth one"))
    assert "only showed you 5 products" in answer


def test_cart_totals_are_exact_and_follow_adds_and_removals(chat):
    shown = cards(chat("dlg-cart", "show me green tea"))
    assert len(shown) >= 2
    added = chat("dlg-cart", "add 2 of the first one to my cart")
    assert "Added 2 ×" in texts(added)
    chat("dlg-cart", "add the second one to my cart")
    first, second = Decimal(str(shown[0]["price"])), Decimal(str(shown[1]["price"]))

    cart = chat("dlg-cart", "what's in my cart")
    assert f"Total: {money(2 * first + second)} for 3 items" in texts(cart)
    assert [c["id"] for c in cards(cart)] == [shown[0]["id"], shown[1]["id"]]

    removed = chat("dlg-cart", "remove the first one")
    assert f"Total: {money(second)} for 1 item" in texts(removed)

    checkout = chat("dlg-cart", "checkout")
    assert "order summary" in texts(checkout)
    assert f"Total: {money(second)}" in texts(checkout)


def test_order_status_after_verifying_the_shopper(chat):
    assert "order number" in texts(chat("dlg-order", "where is my order?"))
    assert "email" in texts(chat("dlg-order", "AIS-1002"))
    status = texts(chat("dlg-order", "ravi@example.com"))
    assert "AIS-1002" in status and "shipped" in status


def test_an_order_that_does_not_exist_is_explained(chat):
    chat("dlg-noorder", "track my order")
    answer = texts(chat("dlg-noorder", "AIS-9999"))
    assert "couldn't find an order AIS-9999" in answer


def test_someone_elses_order_stays_private(chat):
    chat("dlg-private", "where is my order")
    chat("dlg-private", "AIS-1002")
    answer = texts(chat("dlg-private", "asha@example.com"))  # AIS-1002 is Ravi's
    assert "doesn't match order AIS-1002" in answer
    assert "shipped" not in answer


def test_a_return_is_recorded_for_a_delivered_order(chat):
    assert "email" in texts(chat("dlg-return", "I want to return order AIS-1001"))
    assert "why" in texts(chat("dlg-return", "asha@example.com"))
    done = texts(chat("dlg-return", "it arrived damaged"))
    assert "RET-" in done and "AIS-1001" in done


def test_a_negative_price_gets_a_polite_answer(chat):
    answer = chat("dlg-negative", "shampoo under minus five")
    assert "can't be negative" in texts(answer)
    assert not cards(answer)


def test_handoff_pauses_the_bot_and_the_shopper_is_told_a_person_will_answer(chat):
    assert "support team" in texts(chat("dlg-human", "I want to talk to a person"))
    waiting = chat("dlg-human", "hello? is anyone there")
    assert texts(waiting) == HANDOFF_WAITING


@pytest.mark.parametrize("message", ["what's the weather like in paris", "asdf qwerty zxcv"])
def test_out_of_scope_and_nonsense_get_a_fallback_with_buttons(chat, message):
    answer = chat("dlg-oos", message)
    assert "Sorry" in texts(answer)
    assert buttons(answer)


@pytest.mark.parametrize(
    ("sender", "start", "leave"),
    [
        ("dlg-leave-order", "where is my order?", "never mind, show me tea"),
        ("dlg-leave-return", "I want to return something", "forget it, show me green tea"),
    ],
)
def test_a_shopping_request_leaves_the_order_and_return_forms(chat, sender, start, leave):
    assert "order number" in texts(chat(sender, start))
    answer = chat(sender, leave)
    assert "doesn't look like" not in texts(answer) and "order number" not in texts(answer)
    assert any("tea" in (c["title"] + c["category"]).lower() for c in cards(answer)), answer
    # The form is gone: an order id now is a new order-status question, not the old form's.
    assert "email" in texts(chat(sender, "AIS-1002"))


def test_the_same_shopping_request_inside_the_email_step_leaves_the_form(chat):
    chat("dlg-leave-email", "track my order")
    assert "email" in texts(chat("dlg-leave-email", "AIS-1002"))
    answer = chat("dlg-leave-email", "never mind, show me tea")
    assert "doesn't look like an email" not in texts(answer)
    assert cards(answer), answer


@pytest.mark.parametrize("message", ["मुझे सस्ता आटा चाहिए", "我想买洗发水"])
def test_a_message_in_a_script_it_cannot_read_gets_an_honest_reply(chat, message):
    answer = chat("dlg-script", message)
    assert "English letters" in texts(answer)
    assert not cards(answer)
    assert buttons(answer)
