"""The conversation runner's checks (evalsets/README.md semantics) and scenario files."""

import pytest

from aisle.conversations import Turn, check_turn, load_scenarios

SHAMPOO = {"id": "a", "title": "Dove Shampoo 180 ml", "category": "Hair Care", "brand": "Dove",
           "price": 180.0}  # fmt: skip
CONDITIONER = {"id": "b", "title": "Dove Conditioner", "category": "Hair Care",
               "brand": "Dove Men", "price": 95.0}  # fmt: skip
CART = [{"title": "Dove Shampoo 180 ml", "price": 1180.5, "quantity": 2}]


def turn(text="Here are 2 for shampoo:", cards=(SHAMPOO, CONDITIONER), previous=(), cart=CART):
    messages = [{"text": text}, {"custom": {"type": "product_cards", "products": list(cards)}}]
    return Turn(messages, list(previous), lambda: list(cart))


def test_passing_checks_report_nothing() -> None:
    expect = {
        "products": {"min": 2, "max": 5, "match": "hair care", "brand": "dove",
                     "not_brand": "nivea", "max_price": 180, "sorted": "price_desc"},
        "cart": {"count": 1, "units": 2, "match": "shampoo", "contains": "dove",
                 "quantity": {"match": "shampoo", "equals": 2}},
        "text": "shampoo", "not_text": "person",
    }  # fmt: skip
    assert check_turn(turn(), {"expect": expect}) == []


@pytest.mark.parametrize(
    ("expect", "problem"),
    [
        ({"products": {"none": True}}, "products.none"),
        ({"products": {"count": 3}}, "products.count 3"),
        ({"products": {"match": "shampoo"}}, "products.match /shampoo/: ['Dove Conditioner"),
        ({"products": {"brand": "Dove M"}}, "products.brand Dove M"),
        ({"products": {"max_price": 100}}, "products.max_price 100"),
        ({"products": {"sorted": "price_asc"}}, "products.sorted price_asc"),
        ({"cart": {"units": 1}}, "cart.units 1: ['2 × Dove Shampoo 180 ml']"),
        ({"cart": {"total_in_text": True}}, "cart.total_in_text: 2361.0"),
        ({"text": "cheaper"}, "text /cheaper/ missing"),
    ],
)
def test_each_failing_check_says_what_it_saw(expect, problem) -> None:
    problems = check_turn(turn(), {"expect": expect})
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_checks_against_the_previous_cards() -> None:
    dearer = [{**SHAMPOO, "id": "c", "price": 300.0}, {**CONDITIONER, "id": "d", "price": 200.0}]
    now = turn(previous=dearer)
    assert check_turn(now, {"expect": {"products": {"price_vs_previous": "lower"}}}) == []
    assert check_turn(now, {"expect": {"products": {"price_vs_previous": "higher"}}})
    assert check_turn(turn(previous=[SHAMPOO, CONDITIONER]),
                      {"expect": {"products": {"same_as_previous": False}}})  # fmt: skip
    shown = {"includes_previous": {"position": -1, "shown": True}}
    assert check_turn(turn(cards=[CONDITIONER], previous=[SHAMPOO, CONDITIONER]),
                      {"expect": {"products": shown}}) == []  # fmt: skip


def test_totals_in_the_text_with_or_without_separators() -> None:
    for text in ("Total: ₹2,361 for 2 items", "Total 2361.00", "total ₹2,361.00"):
        assert check_turn(turn(text, cart=[{**CART[0], "price": 1180.5}]),
                          {"expect": {"cart": {"total_in_text": True}}}) == [], text  # fmt: skip
    assert check_turn(turn("Total: ₹12,361"), {"expect": {"cart": {"total_in_text": True}}})


@pytest.mark.parametrize(
    ("text", "apology", "passes"),
    [("Sorry, those weren't right.", False, False), ("Here you go", False, True),
     ("My mistake, here", True, True), ("Here you go", True, False), ("Sorry", "any", True)],
)  # fmt: skip
def test_apology_rule(text, apology, passes) -> None:
    assert (check_turn(turn(text), {"apology": apology}) == []) is passes


def test_scenario_files_give_catalogues_and_select_fast_ones(tmp_path) -> None:
    (tmp_path / "a.yml").write_text(
        "catalog: myntra\nscenarios:\n"
        "  - name: fast one\n    fast: true\n    turns:\n      - user: shirt\n"
        "  - name: slow one\n    catalog: bigbasket\n    turns:\n      - user: tea\n"
    )
    fast = load_scenarios(tmp_path, fast_only=True)
    assert [(s["name"], s["catalog"], s["file"]) for s in fast] == [("fast one", "myntra", "a.yml")]
    assert [s["catalog"] for s in load_scenarios(tmp_path / "a.yml")] == ["myntra", "bigbasket"]
