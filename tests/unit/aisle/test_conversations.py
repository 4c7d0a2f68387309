"""The conversation runner's turn checks and scenario files, without a stack."""

import pytest

from aisle.conversations import Answer, check_turn, load_scenarios

PRODUCTS = [
    {"title": "Dove Shampoo 180 ml", "brand": "Dove", "price": 180.0},
    {"title": "Dove Conditioner 80 ml", "brand": "Dove", "price": 95.0},
]


def answer(text: str = "Here are 2 for shampoo:", products=PRODUCTS, cart=()) -> Answer:
    messages = [{"text": text}, {"custom": {"type": "product_cards", "products": list(products)}}]
    return Answer(messages, lambda: list(cart))


def test_passing_checks_report_nothing() -> None:
    expect = {"brand": "^dove$", "any_title": "shampoo", "max_price": 200, "no_apology": True,
              "products": {"min": 1, "max": 5}, "sorted": "price_desc"}  # fmt: skip
    assert check_turn(answer(), expect) == []


@pytest.mark.parametrize(
    ("expect", "problem"),
    [
        ({"title": "shampoo"}, "title not ~ /shampoo/"),
        ({"max_price": 100}, "prices [180.0] break max_price 100"),
        ({"sorted": "price_asc"}, "not in price_asc order"),
        ({"no_brand": "dove"}, "brand ~ /dove/ shown"),
        ({"products": 3}, "2 products shown"),
        ({"text": "cheaper"}, "text not ~ /cheaper/"),
    ],
)
def test_each_failing_check_says_what_is_wrong(expect, problem) -> None:
    problems = check_turn(answer(), expect)
    assert len(problems) == 1 and problem in problems[0]


def test_an_apology_fails_no_apology() -> None:
    assert check_turn(answer("Sorry those weren't right. Here"), {"no_apology": True}) == [
        "apologised"
    ]


def test_cart_checks_read_the_cart() -> None:
    cart = [{"title": "Dove Shampoo 180 ml", "quantity": 1}]
    assert check_turn(answer(cart=cart), {"cart": {"items": 1, "contains": "shampoo"}}) == []
    assert "cart has 1 items" in check_turn(answer(cart=cart), {"cart": {"items": 2}})[0]


def test_scenario_files_reject_unknown_checks_and_select_fast_ones(tmp_path) -> None:
    (tmp_path / "a.yml").write_text(
        "scenarios:\n"
        "  - name: fast one\n    fast: true\n    turns:\n"
        "      - user: soap\n        expect: {products: 1}\n"
        "  - name: slow one\n    turns:\n      - user: tea\n"
    )
    assert [s["name"] for s in load_scenarios(tmp_path, fast_only=True)] == ["fast one"]
    assert len(load_scenarios(tmp_path / "a.yml")) == 2
    (tmp_path / "b.yml").write_text(
        "scenarios:\n  - name: x\n    turns:\n      - user: y\n        expect: {colour: red}\n"
    )
    with pytest.raises(ValueError, match="unknown checks"):
        load_scenarios(tmp_path)
