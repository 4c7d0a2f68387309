from collections import Counter

from aisle.load_bench import ADD, SHOW_CART, Shopper, script


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
