"""Every shopping flow through the real gateway, Rasa server and action server (issue 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.handoff import HANDOFF_REPLY, NO_AGENT_REPLY
from core.database import session_scope
from gateway.conversation import HANDOFF_CANCELLED, HANDOFF_WAITING
from profiles.tables import utcnow
from shop.handoff import QUEUED, waiting_request
from support.accounts import Agent, add_agent
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
    if refined:  # cheaper Himalaya face washes than any shown…
        assert {c["brand"] for c in refined} == {"Himalaya"}  # the brand carried over
        assert max(c["price"] for c in refined) < min(c["price"] for c in first)
    else:  # …or, honestly, none: never another product type instead
        assert "cheapest face wash" in texts(cheaper), cheaper

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

    emptied = chat("dlg-cart", "remove it")
    assert "Your cart is empty" in texts(emptied)
    assert "Checkout" not in {b["title"] for b in buttons(emptied)}  # nothing left to check out


def test_order_status_after_verifying_the_shopper(chat):
    assert "order number" in texts(chat("dlg-order", "where is my order?"))
    assert "email" in texts(chat("dlg-order", "AIS-H4TN-2WQ8"))
    status = texts(chat("dlg-order", "ravi@example.com"))
    assert "AIS-H4TN-2WQ8" in status and "shipped" in status


def test_an_order_that_does_not_exist_is_explained(chat):
    chat("dlg-noorder", "track my order")
    answer = texts(chat("dlg-noorder", "AIS-9999"))
    assert "couldn't find an order AIS-9999" in answer


def test_someone_elses_order_stays_private(chat):
    chat("dlg-private", "where is my order")
    chat("dlg-private", "AIS-H4TN-2WQ8")
    answer = texts(chat("dlg-private", "asha@example.com"))  # AIS-H4TN-2WQ8 is Ravi's
    assert "doesn't match order AIS-H4TN-2WQ8" in answer
    assert "shipped" not in answer


def test_a_return_is_recorded_for_a_delivered_order(chat):
    assert "email" in texts(chat("dlg-return", "I want to return order AIS-7KQ2-M9XD"))
    assert "why" in texts(chat("dlg-return", "asha@example.com"))
    done = texts(chat("dlg-return", "it arrived damaged"))
    assert "RET-" in done and "AIS-7KQ2-M9XD" in done


def test_a_negative_price_gets_a_polite_answer(chat):
    answer = chat("dlg-negative", "shampoo under minus five")
    assert "can't be negative" in texts(answer)
    assert not cards(answer)


def agents_online(settings, online: bool) -> None:
    """One support agent, seen in the console just now or never."""
    with session_scope(settings) as session:
        agent = session.get(Agent, "agent@shop.test") or add_agent(
            session, "agent@shop.test", "a long password"
        )
        agent.last_seen_at = utcnow() if online else None
        session.query(Agent).filter(Agent.email != agent.email).update({"last_seen_at": None})


def test_handoff_with_an_agent_online_pauses_the_bot_until_the_shopper_cancels(chat, stack):
    agents_online(stack.settings, True)
    assert texts(chat("dlg-human", "I want to talk to a person")) == HANDOFF_REPLY
    waiting = chat("dlg-human", "hello? is anyone there")
    assert texts(waiting) == HANDOFF_WAITING
    assert texts(chat("dlg-human", "never mind, I'll keep browsing")) == HANDOFF_CANCELLED
    assert cards(chat("dlg-human", "show me shampoo"))  # the bot is back


def test_handoff_with_no_agent_online_says_so_and_keeps_helping(chat, stack):
    agents_online(stack.settings, False)
    assert texts(chat("dlg-alone", "I want to talk to a person")) == NO_AGENT_REPLY
    assert cards(chat("dlg-alone", "show me shampoo"))
    with session_scope(stack.settings) as session:
        assert waiting_request(session, "dlg-alone").status == QUEUED  # still in the queue


@pytest.mark.parametrize("message", ["what's the weather like in paris", "asdf qwerty zxcv"])
def test_out_of_scope_and_nonsense_get_a_fallback_with_buttons(chat, message):
    answer = chat("dlg-oos", message)
    assert "can't help" in texts(answer) or "didn't quite get" in texts(answer), answer
    assert buttons(answer)


def test_out_of_scope_is_honest_without_apologising_and_leaves_a_form(chat):
    assert "order number" in texts(chat("dlg-oos-form", "I want to return something"))
    answer = chat("dlg-oos-form", "what's the weather like in paris")
    assert "can't help" in texts(answer) and "Sorry" not in texts(answer), answer
    assert "email" in texts(chat("dlg-oos-form", "AIS-1002"))  # a fresh order question


def test_a_bare_product_name_is_a_search_and_add_one_adds_the_top_result(chat):
    shown = cards(chat("dlg-bare", "honey"))
    assert shown and all("honey" in (c["title"] + c["category"]).lower() for c in shown)
    answer = chat("dlg-bare", "add one")
    assert "1 item," in texts(answer) and shown[0]["title"] in texts(answer), answer


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
    assert "email" in texts(chat(sender, "AIS-H4TN-2WQ8"))


def test_the_same_shopping_request_inside_the_email_step_leaves_the_form(chat):
    chat("dlg-leave-email", "track my order")
    assert "email" in texts(chat("dlg-leave-email", "AIS-H4TN-2WQ8"))
    answer = chat("dlg-leave-email", "never mind, show me tea")
    assert "doesn't look like an email" not in texts(answer)
    assert cards(answer), answer


def test_a_return_asked_for_inside_the_order_form_switches_forms_keeping_the_order(chat):
    chat("dlg-switch", "where is my order")
    assert "email" in texts(chat("dlg-switch", "AIS-H4TN-2WQ8"))
    answer = texts(chat("dlg-switch", "i want to send it back, the packet was torn"))
    assert "doesn't look like" not in answer and "email" in answer, answer
    assert "return" in texts(chat("dlg-switch", "ravi@example.com")).lower()


def test_a_question_about_a_shown_product_is_answered_from_the_catalogue(chat):
    assert cards(chat("dlg-question", "hair oil"))
    answer = texts(chat("dlg-question", "hmm ok. is the second one good for dry hair?"))
    assert "mention dry hair" in answer and "Here are" not in answer, answer


@pytest.mark.parametrize("message", ["मुझे सस्ता आटा चाहिए", "我想买洗发水"])
def test_a_message_in_a_script_it_cannot_read_gets_an_honest_reply(chat, message):
    answer = chat("dlg-script", message)
    assert "English letters" in texts(answer)
    assert not cards(answer)
    assert buttons(answer)


def cart_lines(chat, sender: str) -> list[dict]:
    return cards(chat(sender, "show my cart"))


def test_brand_refinements_filter_exclude_and_change_brand_without_apologising(chat):
    shown = cards(chat("dlg-brands", "show me shampoo"))
    brands = {c["brand"] for c in shown}
    assert len(brands) >= 2, shown
    brand = shown[1]["brand"]

    only = chat("dlg-brands", f"only {brand}")
    assert cards(only) and {c["brand"] for c in cards(only)} == {brand}, only
    not_it = chat("dlg-brands", f"not {brand}")
    assert cards(not_it) and brand not in {c["brand"] for c in cards(not_it)}, not_it
    shown = cards(not_it)
    other = chat("dlg-brands", "a different brand")
    assert cards(other), other
    assert not {c["brand"] for c in shown} & {c["brand"] for c in cards(other)}
    assert any("shampoo" in (c["title"] + c["category"]).lower() for c in cards(other))
    for answer in (only, not_it, other, chat("dlg-brands", "cheaper please")):
        assert "sorry" not in texts(answer).lower(), answer
        assert not any("person" in b["payload"] for b in buttons(answer))


def test_the_second_one_alone_shows_it_and_add_it_adds_it_once(chat):
    shown = cards(chat("dlg-second", "show me green tea"))
    details = chat("dlg-second", "the second one")
    assert shown[1]["title"] in texts(details) and "Added" not in texts(details)
    added = chat("dlg-second", "add it")
    assert f"Added 1 × {shown[1]['title']}" in texts(added)
    assert [c["id"] for c in cart_lines(chat, "dlg-second")] == [shown[1]["id"]]


def test_after_which_is_cheaper_add_that_one_adds_only_that_one(chat):
    shown = cards(chat("dlg-which", "show me shampoo under 200"))
    chat("dlg-which", "compare the first two")
    cheaper = min(shown[:2], key=lambda c: c["price"])
    answer = chat("dlg-which", "which is cheaper?")
    assert cheaper["title"] in texts(answer)
    chat("dlg-which", "add that one")
    assert [c["id"] for c in cart_lines(chat, "dlg-which")] == [cheaper["id"]]


def test_a_complaint_gets_an_answer_that_fits_it(chat):
    about_bot = chat("dlg-complain", "you are of no use to me")
    assert "sorry" in texts(about_bot).lower() and not cards(about_bot)
    assert any("person" in b["payload"] for b in buttons(about_bot))
    shown = cards(chat("dlg-complain", "show me shampoo"))
    again = chat("dlg-complain", "fantastic, you showed me the identical list")
    assert "sorry" in texts(again).lower()
    assert cards(again) and not {c["id"] for c in shown} & {c["id"] for c in cards(again)}


def test_order_lookups_are_refused_after_five_wrong_tries(chat):
    chat("dlg-guess", "where is my order")
    for n in range(5):
        assert "couldn't find" in texts(chat("dlg-guess", f"AIS-0000-000{n}"))
    answer = texts(chat("dlg-guess", "AIS-H4TN-2WQ8"))  # right this time, but too late
    assert "too many order numbers" in answer and "shipped" not in answer
