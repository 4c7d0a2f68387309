import pytest

from actions.references import is_bare_reference, resolve, winner, without_superlatives
from retrieval.schema import Product


def product(n: int, **fields) -> Product:
    return Product(id=f"p{n}", title=fields.pop("title", f"Product {n}"), price=10.0 * n, **fields)


SHOWN = [
    product(1, brand="Dove", title="Dove Body Wash", rating=4.1),
    product(2, brand="Nivea", title="Nivea Red Bottle Lotion", rating=4.6),
    product(3, brand="Himalaya", title="Himalaya Face Wash"),
    product(4, brand="Pears", title="Pears Soap"),
    product(5, brand="Lux", title="Lux Soap Blue"),
]


def ids(text: str) -> list[str]:
    return [p.id for p in resolve(text, SHOWN).products]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell me more about the second one", ["p2"]),
        ("what's the price of the 3rd", ["p3"]),
        ("compare the first and the third", ["p1", "p3"]),
        ("compare the first two", ["p1", "p2"]),
        ("compare the top 3", ["p1", "p2", "p3"]),
        ("add both", ["p1", "p2"]),
        ("the last one", ["p5"]),
        ("the last two", ["p4", "p5"]),
        ("details of number 4", ["p4"]),
        ("option #2 please", ["p2"]),
        ("compare them all", ["p1", "p2", "p3", "p4", "p5"]),
        ("that red one", ["p2"]),
        ("the blue one", ["p5"]),
        ("the Dove one", ["p1"]),
        ("add the cheapest one", ["p1"]),
        ("the best rated one", ["p2"]),
    ],
)
def test_references_resolve_to_the_products_shown(text, expected):
    assert ids(text) == expected


def test_a_reference_beyond_the_list_is_explained():
    resolution = resolve("add the sixth one", SHOWN)
    assert not resolution.products
    assert "only showed you 5 products" in resolution.problem
    assert "1 to 5" in resolution.problem


def test_no_reference_means_nothing_explicit():
    resolution = resolve("add it to my cart", SHOWN)
    assert resolution.products == () and resolution.problem is None and not resolution.explicit


def test_a_reference_with_nothing_shown():
    assert resolve("the second one", []).problem == "I haven't shown you any products yet."


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("the second one", True),
        ("2nd one pls", True),
        ("that red one", True),
        ("add the second one", False),
        ("i'll take the second one", False),
        ("put it in my cart", False),
        ("tell me more about the third one", True),
        ("pehla wala cart mein daal do", False),
    ],
)
def test_a_bare_reference_only_points_at_a_product(text, bare):
    assert is_bare_reference(text, SHOWN) is bare


def test_which_is_cheaper_picks_one_product():
    assert winner("which is cheaper?", SHOWN[:2]).id == "p1"
    assert winner("which one is better rated", SHOWN[:2]).id == "p2"
    assert winner("compare the first two", SHOWN[:2]) is None
    assert ids("which is cheaper?") == ["p1"]


def test_without_superlatives_keeps_the_products_compared():
    assert resolve(without_superlatives("which is cheaper?"), SHOWN).products == ()
    assert ids(without_superlatives("the first two, which is cheaper?")) == ["p1", "p2"]


def test_hinglish_ordinals():
    assert ids("pehla wala cart mein daal do") == ["p1"]
    assert ids("doosri wali") == ["p2"]
    assert ids("aakhri wala") == ["p5"]
