"""The relevance floor: head product, modifiers, negation, quantity, catalogue vocabulary."""

from __future__ import annotations

import pytest

from retrieval.schema import Product, SearchHit
from search.relevance import Vocabulary, has_size, parse_product_query, relevant, spelled

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
    Product(id="19", title="Milk Shake - Chocolate", category=("Dairy", "Flavoured Milk")),
    Product(id="20", title="Toned Milk", category=("Dairy", "Milk")),
    Product(
        id="21", title="Tissues - Cement Mixer", category=("Household", "Garbage Bag", "Tissue")
    ),
    Product(id="22", title="Body Spray - Aqua", category=("Beauty", "Deos", "Men's Deodorants")),
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
        ("cheeni 1 kilo", ("cheeni",), (), (), "1 kg"),
        ("oil 2 ltr", ("oil",), (), (), "2 l"),
        ("mujhe basmati chawal chahiye", ("basmati", "chawal"), (), (), None),
        ("bachon ke liye diapers", ("diaper",), ("bachon",), (), None),
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
    assert shown("shampoo") == ["1", "7"]


def test_modifiers_are_filters_when_some_products_have_them():
    assert shown("shampoo for dandruff") == ["1"]
    assert shown("shampoo for curly hair") == ["1", "7"]  # no product has them: not a filter


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


def test_the_asked_quantity_is_a_filter_when_some_products_have_it():
    assert shown("basmati rice 1 kg") == ["9"]
    assert shown("basmati rice 2 kg") == ["8", "9"]


@pytest.mark.parametrize(
    ("quantity", "title", "has"),
    [
        ("5 kg", "Atta 5kg", True),
        ("5 kg", "Atta - Whole Wheat, 5 Kgs", True),
        ("5 kg", "Rice 25 kg", False),
        ("1 kg", "Sugar 1 Kilo", True),
        ("1 kg", "Sugar 1.5 kg", False),
        ("1 l", "Sunflower Oil 1 Ltr Pouch", True),
        ("3 l", "Pressure Cooker 3 Litre", True),
        ("500 g", "Cashew 500gm", True),
        ("500 g", "Cashew 500 ml", False),
        ("pack of 10", "Soap 10 pcs", True),
    ],
)
def test_a_size_is_found_in_any_spelling_of_its_unit(quantity, title, has):
    assert has_size(quantity, Product(id="x", title=title)) is has


def test_the_title_says_what_a_product_is_before_its_category():
    assert shown("milk") == ["20", "19"]  # "Milk Shake" is filed under milk, but is a shake


def test_a_kind_named_only_by_a_broad_category_is_not_that_kind():
    assert shown("cement bag") == []  # tissues filed under "Garbage Bag"
    assert shown("deo") == ["22"]  # a short form of the product's own category


def test_misspelt_words_are_read_as_the_catalogue_spells_them():
    assert spelled(parse_product_query("basmti ryce"), VOCAB).head == ("basmati", "rice")
    assert spelled(parse_product_query("shampooo"), VOCAB).text == "shampoo"
    # an English word is never changed, and neither is a word with nothing close enough
    assert spelled(parse_product_query("tea"), VOCAB).head == ("tea",)
    assert spelled(parse_product_query("car tyres"), VOCAB).head == ("car", "tyre")
    assert spelled(parse_product_query("televisionz"), VOCAB).head == ("televisionz",)


def test_hinglish_and_synonyms_reach_the_catalogue_words():
    assert shown("namak") == ["5", "18"]
    assert shown("chawal") == ["8", "9"]  # rice, not the ready meal called "Dal Chawal"


def test_attribute_words_may_be_dropped_but_product_words_may_not():
    assert "organic" in VOCAB.attributes
    assert shown("organic salt") == ["5", "18"]  # no organic salt: salt itself qualifies
    assert shown("organic shampoo") == ["1", "7"]
    assert shown("phone case") == []


def test_the_head_words_side_by_side_come_before_the_same_words_apart():
    apart = Product(id="a", title="Oil - Classic Beard Fragrance", category=("Men", "Beard Care"))
    together = Product(id="b", title="Beard Oil - Classic", category=("Men", "Beard Care"))
    hits = [SearchHit(product=p, score=0.0) for p in (apart, together)]
    found = relevant(parse_product_query("beard oil"), hits, VOCAB)
    assert [hit.product.id for hit in found] == ["b", "a"]


def ranked(query: str, *products: Product) -> list[str]:
    hits = [SearchHit(product=p, score=0.0) for p in products]
    return [hit.product.id for hit in relevant(parse_product_query(query), hits, VOCAB)]


def test_the_kind_in_its_own_category_comes_before_a_product_named_after_it():
    juice = Product(id="j", title="Pear - No Added Sugar", category=("Drinks", "Juices"))
    fruit = Product(id="f", title="Pear - Green", category=("Fruits", "Pears & Plums"))
    assert ranked("pears", juice, fruit) == ["f", "j"]


def test_a_single_product_comes_before_a_combo_of_the_same_size():
    combo = Product(id="c", title="Poha 1 kg + Jaggery 1 kg", category=("Foodgrains", "Poha"))
    single = Product(id="s", title="Poha - Thick, 1 kg", category=("Foodgrains", "Poha"))
    assert ranked("poha 1 kg", combo, single) == ["s", "c"]
    assert ranked("poha", Product(id="k", title="Poha Combo", category=("F", "Poha")), single) == [
        "s",
        "k",
    ]


def test_a_brand_named_in_the_title_comes_before_the_brands_other_lines():
    biscuit = Product(id="b", title="Cream Biscuits", brand="Maltova", category=("Snacks", "B"))
    drink = Product(id="d", title="Malt Drink - Maltova", brand="Maltova", category=("Drinks", "D"))
    assert ranked("maltova", biscuit, drink) == ["d", "b"]


def test_what_follows_for_in_a_title_describes_the_product():
    assert ranked(
        "trimmer",
        Product(id="t", title="Beard Trimmer For Men", category=("Grooming", "Shaving")),
    ) == ["t"]


def test_products_with_more_of_the_modifiers_and_qualifiers_come_first():
    plain = Product(id="p", title="Lotion - Aloe", category=("Beauty", "Body Care"))
    dry = Product(id="d", title="Lotion - Dryness Relief", category=("Beauty", "Body Care"))
    assert ranked("lotion for dry elbows", plain, dry) == ["d", "p"]
    canned = Product(id="c", title="Peas - Canned", category=("Tinned", "Peas"))
    fresh = Product(id="f", title="Peas - Green", category=("Fresh Vegetables", "Peas"))
    assert ranked("fresh peas", canned, fresh) == ["f", "c"]


def test_non_is_part_of_a_property_not_a_negation():
    assert parse_product_query("non stick kadai").head == ("non", "stick", "kadai")
    assert parse_product_query("shampoo not sulphate").excluded == ("sulphate",)


def test_catalogue_synonyms_and_quantity_words():
    assert parse_product_query("nail paint").head == ("nail", "color")
    assert parse_product_query("half dozen bananas").head == ("banana",)
    dal = Product(id="d", title="Toor Dal", category=("Foodgrains", "Dals & Pulses", "Toor Dal"))
    assert ranked("lentils", dal) == ["d"]


def test_whom_and_a_trailing_colour_are_modifiers_not_the_product():
    parsed = parse_product_query("running shoes women blue")
    assert (parsed.head, parsed.modifiers) == (("running", "shoe"), ("blue", "women"))
    assert parse_product_query("black salt").head == ("black", "salt")  # a colour first: a kind
    assert parse_product_query("kids").head == ("kid",)  # nothing else: it is all there is


def test_a_category_that_is_only_the_kind_comes_before_one_naming_it_among_others():
    powdered = Product(id="p", title="Curd Powder", category=("Dairy", "Powdered Milk, Curd"))
    plain = Product(id="c", title="Fresh Curd", category=("Dairy", "Curd"))
    assert ranked("curd", powdered, plain) == ["c", "p"]


def test_modifiers_filter_only_among_products_plainly_of_the_kind():
    drink = Product(id="d", title="Drink for Kids (Toffee)", category=("Drinks", "Kids"))
    toffee = Product(id="t", title="Butter Toffee", category=("Sweets", "Toffees"))
    assert ranked("toffees for kids", drink, toffee) == ["t", "d"]


def test_a_category_of_several_kinds_does_not_make_the_other_kind_the_head_kind():
    leaf = ("Beauty", "Hair Care", "Shampoo & Conditioner")
    conditioner = Product(id="c", title="Smooth Conditioner", brand="Silka", category=leaf)
    shampoo = Product(id="s", title="Smooth Shampoo", brand="Silka", category=leaf)
    unnamed = Product(id="u", title="Silka Smooth - Daily", brand="Silka", category=leaf)
    assert ranked("shampoo", conditioner, shampoo, unnamed) == ["s", "u"]


def test_a_combos_size_is_the_size_of_its_part_naming_the_kind():
    combo = Product(id="c", title="Poha 5 kg + Jaggery 1 kg", category=("Foodgrains", "Poha"))
    assert ranked("jaggery 1 kg", combo) == ["c"]
    assert not has_size("1 kg", combo, ("poha",))
    assert has_size("5 kg", combo, ("poha",))


def test_an_earlier_head_word_naming_another_thing_is_not_the_kind():
    leaf = ("Beauty", "Hair Care", "Shampoo & Conditioner")
    freshener = Product(id="f", title="Car Air Freshener - Lemon", category=leaf)
    assert ranked("air conditioner", freshener) == []
    assert ranked(
        "anti dandruff shampoo", Product(id="a", title="Anti Dandruff", category=leaf)
    ) == ["a"]


def test_a_packing_word_in_a_category_of_one_kind_is_not_another_kind():
    bar = Product(id="b", title="Rose Bathing Bar", category=("Bath", "Bathing Bars & Soaps"))
    assert ranked("soap", bar) == ["b"]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("deo for my husband", ["men", "plain", "both"]),
        ("deo for men", ["men", "both"]),  # a modifier some products carry filters
        ("deo for my daughter", ["women", "plain", "both"]),
        ("deo", ["men", "women", "plain", "both"]),
        ("deo for my mom and dad", ["men", "women", "plain", "both"]),
    ],
)
def test_a_product_for_the_other_person_is_not_shown(query: str, kept: list[str]) -> None:
    deos = [
        Product(id="men", title="Deo Spray - Speed", category=("Beauty", "Men's Deodorants")),
        Product(id="women", title="Perfumed Deo Spray For Women", category=("Beauty", "Deos")),
        Product(id="plain", title="Deo Spray - Fresh", category=("Beauty", "Deos")),
        Product(id="both", title="Deo - Unisex, for Men & Women", category=("Beauty", "Deos")),
    ]
    hits = [SearchHit(product=p, score=0.0) for p in deos]
    found = relevant(parse_product_query(query), hits, Vocabulary.of(deos))
    assert sorted(h.product.id for h in found) == sorted(kept)
