import pytest

from actions.shopping_query import parse_shopping_query


@pytest.mark.parametrize(
    ("message", "low", "high"),
    [
        ("show me shampoo under 200", None, 200),
        ("face wash below ₹300", None, 300),
        ("hair oil less than 150 rupees", None, 150),
        ("soap under rs. 99.5", None, 99.5),
        ("olive oil between 300 and 600", 300, 600),
        ("olive oil between 600 and 300", 300, 600),
        ("perfume 500 to 1500", 500, 1500),
        ("diapers over 500", 500, None),
        ("protein powder under 2k", None, 2000),
        ("almonds under 1,200", None, 1200),
        ("green tea", None, None),
    ],
)
def test_price_bounds_are_read_exactly(message, low, high):
    query = parse_shopping_query(message)
    assert query.min_price == low
    assert query.max_price == high
    assert not query.invalid_price


def test_search_text_drops_price_phrase_and_filler():
    assert parse_shopping_query("show me shampoo under 200").text == "shampoo"
    assert parse_shopping_query("I'm looking for green tea please").text == "green tea"
    assert parse_shopping_query("I'm after a deo for him, under 300 if possible").text == (
        "deo for him"
    )


def test_entity_wins_over_message_text():
    assert parse_shopping_query("umm do you sell Amul butter?", product="butter").text == "butter"


def test_negative_budget_is_flagged():
    assert parse_shopping_query("shampoo under -5").invalid_price


@pytest.mark.parametrize(
    ("message", "text", "high"),
    [
        ("hair oil, budget 250", "hair oil", 250),
        ("my budget is only ₹400 for a pressure cooker", "pressure cooker", 400),
        ("buget 120 for biscuits", "biscuits", 120),
        ("budjet: 90, some namkeen", "namkeen", 90),
        ("ghee bellow 600", "ghee", 600),
        ("honey les than 300", "honey", 300),
    ],
)
def test_a_budget_with_an_amount_is_the_bound_not_cheapest_first(message, text, high):
    query = parse_shopping_query(message)
    assert (query.text, query.max_price, query.cheap) == (text, high, False)


@pytest.mark.parametrize("message", ["budget hair oil", "an affordable hair oil please"])
def test_budget_without_an_amount_means_cheap(message):
    query = parse_shopping_query(message)
    assert query.cheap and query.max_price is None and query.text == "hair oil"


@pytest.mark.parametrize("greeting", ["hii", "hiii", "helo", "hellooo", "heyy", "hlo", "hmm ok"])
def test_greetings_typed_loosely_are_not_search_words(greeting):
    assert parse_shopping_query(f"{greeting}, need some ghee").text == "ghee"


@pytest.mark.parametrize(
    ("message", "sort", "text"),
    [
        ("the most expensive olive oil", "price_desc", "olive oil"),
        ("costliest perfume you have", "price_desc", "perfume"),
        ("hair dryer, not too expensive", "cheaper_half", "hair dryer"),
        ("a reasonably priced mixer grinder", "cheaper_half", "mixer grinder"),
        ("cheapest rice", "price_asc", "rice"),
        ("rice", None, "rice"),
    ],
)
def test_price_order_in_words(message, sort, text):
    query = parse_shopping_query(message)
    assert (query.sort, query.text) == (sort, text)
