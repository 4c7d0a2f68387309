"""The one speller (``retrieval/spelling.py``) that both the bot's normaliser and search use."""

from __future__ import annotations

import pytest

from retrieval.spelling import Speller, rewrite_phrases, translate

TARGETS = {"detergent": 9, "dettol": 3, "biscuit": 7, "wash": 5, "walnut": 2, "pickle": 4}
SPELLER = Speller(TARGETS, known={"pickled", "fork"}, counts=TARGETS)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("detergnt", "detergent"),  # one edit
        ("detregent", "detergent"),  # a transposition is one edit
        ("biscut", "biscuit"),  # one edit
        ("wsh", "wash"),  # three consonants are a word typed in a hurry
        ("pickled", "pickled"),  # a known word is never changed
        ("fork", "fork"),
        ("pkl", "pkl"),  # nothing close enough: left as typed
        ("wax", "wax"),  # three letters with a vowel are too short to correct
        ("zzzzz", "zzzzz"),
    ],
)
def test_a_word_becomes_the_closest_target_with_its_first_letter(typed, read):
    assert SPELLER.correct(typed) == read


def test_shopping_words_outside_the_vocabulary_are_not_typos():
    speller = Speller({"price": 9, "parachute": 3})
    assert speller("not too pricey") == "not too pricey"  # the cheaper half, not "price"
    assert speller("paraben free") == "paraben free"


def test_the_commonest_close_target_wins():
    speller = Speller({"salt": 1, "malt": 9, "silt": 5}, counts={"salt": 1, "malt": 9, "silt": 5})
    assert speller.correct("sxlt") == "silt"  # "malt" is commoner but starts otherwise


def test_a_whole_message_keeps_capitals_and_reads_hinglish_and_budgets():
    assert SPELLER("Detergnt 300 ke andar") == "Detergent under 300"
    assert SPELLER("sasta biscut dikhao") == "cheap biscuit show"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("namkeen 150 rupaye se kam", "namkeen under 150"),
        ("shampoo 99 tak", "shampoo under 99"),
        ("dusra wala basket me rakh do", "dusra one add to cart"),
        ("teesra wala daal do", "third one add"),
        ("daal do", "add"),
        ("moong dal dena", "moong dal dena"),  # asks for moong dal, puts nothing in a cart
        ("chana dal do kilo", "chana dal do kilo"),  # two kilos
        ("kuch sasta dikhao", "some cheap show"),  # "kuch" is no product
        ("koi thoda bada pack", "any little big pack"),
        ("meri delivery kab aayegi", "my delivery when aayegi"),
    ],
)
def test_hindi_phrases_and_words_are_read_in_english(typed, read):
    assert translate(typed) == read


def test_phrases_alone_leave_the_words_as_typed():
    assert rewrite_phrases("sabun 40 se kam") == "sabun under 40"
