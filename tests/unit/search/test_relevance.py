"""The relevance floor: head product, modifiers, negation, quantity, catalogue vocabulary."""

from __future__ import annotations

import pytest

from retrieval.schema import Product, SearchHit
from search.relevance import Vocabulary, parse_product_query, relevant

CATALOGUE = [
    Product(id="1", title="Anti Dandruff Shampoo", category=("Beauty", "Hair Care", "Shampoo")),
    Product(id="2", title="Herbal Hair Oil", category=("Beauty", "Hair Care", "Hair Oil")),
    Product(id="3", title="Neem Face Wash", category=("Beauty", "Face Care", "Face Wash")),
    Product(id="4", title="Lemon Hand Wash", category=("Cleaning", "Hand Wash")),
    Product(id="5", title="Iodised Salt 1 kg", category=("Foodgrains", "Salt")),
    Product(id="6", title="Organic Green Tea", category=("Beverages", "Tea", "Green Tea")),
    Product(id="7", title="Sulphate Free Shampoo", category=("Beauty", "Hair Care", "Shampoo")),
    Product(id="8", title="Basmati Rice 5 kg", category=("Foodgrains", "Rice")),
    Product(id="9", title="Basmati Rice 1 kg", category=("Foodgrains", "Rice")),
    Product(id="10", title="Organic Honey", category=("Gourmet", "Honey")),
    Product(id="11", title="Organic Jaggery", category=("Foodgrains", "Sugar")),
    Product(id="12", title="Organic Face Cream", category=("Beauty", "Face Care", "Cream")),
    Product(id="13", title="Washing Machine Cleaner", category=("Cleaning", "Cleaners")),
    Product(id="14", title="Green Tea Bags", category=("Beverages", "Tea", "Tea Bags")),
    Product(id="15", title="Dal Chawal", category=("Snacks", "Ready Meals")),
    Product(id="16", title="Peanut Butter Cookies", category=("Bakery", "Cookies")),
    Product(id="17", title="Peanut Butter - Crunchy", category=("Gourmet", "Spreads")),
    Product(id="18", title="Iodised Salt", brand="Tata Salt", category=("Foodgrains", "Salts")),
]
VOCAB = Vocabulary.of(CATALOGUE)


def shown(query: str) -> list[str]:
    found = [SearchHit(product=p, score=0.0) for p in CATALOGUE]
    return [hit.product.id for hit in relevant(parse_product_query(query), found, VOCAB)]


@pytest.mark.parametrize(
    ("query", "head", "modifiers", "excluded", "quantity"),
    [
        ("shampoo for dandruff", ("shampoo",), ("dandruff",), (), None),
        ("face wash for men", ("face", "wash"), ("men",), (), None),
        ("shampoo without sulphate", ("shampoo",), (), ("sulphate",), None),
        ("basmati rice 5 kg", ("basmati", "rice"), (), (), "5 kg"),
        ("biscuits pack of 10", ("biscuit",), (), (), "pack of 10"),
        ("milk 500 ml", ("milk",), (), (), "500 ml"),
        ("tomatoes", ("tomato",), (), (), None),
    ],
)
def test_a_request_is_split_into_head_modifiers_negation_and_quantity(
    query, head, modifiers, excluded, quantity
):
    parsed = parse_product_query(query)
    assert (parsed.head, parsed.modifiers, parsed.excluded, parsed.quantity) == (
        head,
        modifiers,
        excluded,
        quantity,
    )


def test_only_products_of_the_head_kind_are_shown():
    assert shown("face wash") == ["3"]
    assert shown("shampoo for dandruff") == ["1", "7"]


def test_a_product_named_after_another_kind_of_thing_is_not_that_thing():
    assert shown("washing machine") == []
    assert shown("peanut butter") == ["17"]
    assert shown("green tea") == ["6", "14"]


def test_the_brand_counts_as_the_products_words():
    assert shown("tata salt") == ["18"]


def test_something_the_catalogue_never_names_matches_nothing():
    assert shown("television") == []
    assert shown("car tyres") == []


def test_a_negated_word_removes_products_that_have_it_but_not_those_free_of_it():
    assert shown("shampoo without dandruff") == ["7"]
    assert shown("shampoo without sulphate") == ["1", "7"]


def test_the_asked_quantity_comes_first():
    assert shown("basmati rice 1 kg") == ["9", "8"]


def test_hinglish_and_synonyms_reach_the_catalogue_words():
    assert shown("namak") == ["5", "18"]
    assert shown("chawal") == ["8", "9"]  # rice, not the ready meal called "Dal Chawal"


def test_attribute_words_may_be_dropped_but_product_words_may_not():
    assert "organic" in VOCAB.attributes
    assert shown("organic salt") == ["5", "18"]  # no organic salt: salt itself qualifies
    assert shown("organic shampoo") == ["1", "7"]
    assert shown("phone case") == []
