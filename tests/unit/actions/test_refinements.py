"""Refinement semantics: brands wanted or excluded, price direction, pack and clothing sizes."""

import pytest
from rasa_sdk import Tracker

from actions.constraints import (
    Constraints,
    brand_mentions,
    fuller_product,
    pack_amount,
    products_named,
    size_in,
    size_text,
)
from actions.refine import refined, unchanged_reply
from actions.search import (
    brand_before_product,
    by_pack_size,
    in_price_order,
    names_only_a_variant,
)
from retrieval.schema import Product, SearchHit

SHOWN = [
    Product(id="a", title="Dove Shampoo 180 ml", brand="Dove", price=180.0),
    Product(id="b", title="Sunsilk Shampoo 340 ml", brand="Sunsilk", price=240.0),
]
SHAMPOO = Constraints(product="shampoo", max_price=300.0)


def message(text: str, **entities: str) -> Tracker:
    """A tracker whose latest message tags each ``entity=value`` where the value occurs."""
    found = [
        {"entity": name.rstrip("_0123456789"), "value": value, "start": text.index(value),
         "end": text.index(value) + len(value)}
        for name, value in entities.items()
    ]  # fmt: skip
    latest = {"text": text, "intent": {"name": "refine_search"}, "entities": found}
    return Tracker("web-1", {}, latest, [], False, None, None, "action_listen")


def update(text: str, constraints: Constraints = SHAMPOO, **entities: str) -> Constraints:
    tracker = message(text, **entities)
    shown_brands = {p.brand.casefold(): p.brand for p in SHOWN}.get
    return refined(constraints.updated(parse(text), tracker), text, SHOWN, brand_of=shown_brands)


def parse(text: str):
    from actions.shopping_query import parse_shopping_query

    return parse_shopping_query(text)


@pytest.mark.parametrize("text", ["only Patanjali", "just Patanjali please", "Patanjali only"])
def test_only_a_brand_filters_to_it(text: str) -> None:
    updated = update(text, brand="Patanjali")
    assert updated.brand == "Patanjali" and updated.product == "shampoo"
    assert updated.max_price == 300.0 and updated.exclude_brands == ()


@pytest.mark.parametrize(
    "text",
    ["not Dove", "no Dove please", "anything but Dove", "i don't want Dove", "Dove wala nahi"],
)
def test_not_a_brand_excludes_it(text: str) -> None:
    updated = update(text, constraints=Constraints(product="shampoo", brand="Dove"), brand="Dove")
    assert updated.brand is None and updated.exclude_brands == ("Dove",)


def test_not_a_shown_brand_excludes_it_even_when_the_nlu_missed_it() -> None:
    assert update("not dove").exclude_brands == ("Dove",)


def test_several_brands_negated_together() -> None:
    tracker = message("no Dove or Sunsilk, but Clinic Plus", brand="Dove", brand_2="Sunsilk",
                      brand_3="Clinic Plus")  # fmt: skip
    assert brand_mentions(tracker) == (("Clinic Plus",), ("Dove", "Sunsilk"))


def test_only_a_brand_after_excluding_it_wants_it_again() -> None:
    excluded = Constraints(product="shampoo", exclude_brands=("Dove", "Nivea"))
    updated = update("only Dove", constraints=excluded, brand="Dove")
    assert updated.brand == "Dove" and updated.exclude_brands == ("Nivea",)


@pytest.mark.parametrize("text", ["a different brand", "another brand please", "dusra brand"])
def test_another_brand_excludes_the_shown_brands_and_keeps_the_product(text: str) -> None:
    updated = update(text, constraints=Constraints(product="shampoo", brand="Dove"))
    assert updated.product == "shampoo" and updated.brand is None
    assert set(updated.exclude_brands) == {"Dove", "Sunsilk"}


def test_cheaper_sorts_by_price_below_everything_shown() -> None:
    updated = update("cheaper please")
    assert updated.sort == "price_asc" and 179.99 < updated.max_price < 180.0
    assert updated.describe() == "shampoo under ₹180, cheapest first"  # not "₹179.99"


def test_cheapest_sorts_by_price_up_to_the_lowest_shown() -> None:
    updated = update("the cheapest one")
    assert updated.sort == "price_asc" and updated.max_price == 180.0


def test_pricier_and_most_expensive() -> None:
    pricier = update("something more expensive")
    assert pricier.sort == "price_desc" and 240.0 < pricier.min_price < 240.01
    assert pricier.describe() == "shampoo over ₹240, most expensive first"
    assert update("the most expensive").min_price == 240.0


@pytest.mark.parametrize(("text", "limit"), [("less than 150", 150.0), ("under 500", 500.0)])
def test_a_new_budget_replaces_the_old_one(text: str, limit: float) -> None:
    updated = update(text)
    assert updated.max_price == limit and updated.sort is None and updated.product == "shampoo"


def test_any_price_drops_the_budget() -> None:
    assert update("any price is fine").max_price is None


@pytest.mark.parametrize(
    ("text", "pack"),
    [("bigger pack", "bigger"), ("in a bigger size", "bigger"), ("smaller", "smaller")],
)
def test_pack_direction(text: str, pack: str) -> None:
    assert update(text).pack == pack


@pytest.mark.parametrize(
    ("text", "size"),
    [("size M", "M"), ("do you have it in xl", "XL"), ("500g", "500 g"), ("5 kg atta", "5 kg"),
     ("1 litre", "1 l"), ("under 500", None), ("in red", None)],
)  # fmt: skip
def test_sizes(text: str, size: str | None) -> None:
    assert size_in(text) == size


def test_a_named_size_is_kept_and_not_read_as_a_pack_direction() -> None:
    updated = update("in size L")
    assert updated.size == "L" and updated.pack is None


def test_two_products_in_one_message_are_both_found() -> None:
    tracker = message("soap and atta please", product="soap", product_2="atta")
    assert products_named(tracker) == ["soap", "atta"]


def test_what_a_product_is_for_comes_after_it() -> None:
    text = "helo, looking for toothpaste for my kids. Something not too sweet please"
    assert fuller_product(text, "toothpaste") == "toothpaste for kids"


def test_a_new_gender_replaces_the_one_in_the_product_words() -> None:
    updated = update("and for women?", Constraints(product="sandals for men"), gender="women")
    assert updated.product == "sandals" and updated.gender == "women"
    assert updated.describe() == "sandals for women"
    assert Constraints(product="sandals for men", gender="men").describe() == "sandals for men"


def test_a_product_in_parts_restated_or_with_filler_is_one_request() -> None:
    text = "ok and i need dal too - moong dal 1kg"
    tracker = message(text, product="dal too", product_2="moong", product_3="dal 1kg")
    assert products_named(tracker) == ["moong dal 1kg"]
    constraints, _ = Constraints.from_message(tracker)
    assert constraints.product == "moong dal" and constraints.size == "1 kg"
    also = message(
        "shampoo and also some soap too", product="shampoo", product_2="also some soap too"
    )
    assert products_named(also) == ["shampoo", "soap"]
    wanted = message("i cheap atta want 5 kg one", product="atta want")
    assert products_named(wanted) == ["atta"]  # "mujhe sasta atta chahiye 5 kg wala"
    both = message("dal and moong dal", product="dal", product_2="moong dal")
    assert products_named(both) == ["dal", "moong dal"]  # a conjunction: two requests


def test_a_product_named_as_a_purpose_is_not_a_second_request() -> None:
    tracker = message(
        "need shampoo for dandruff under 250", product="shampoo", product_2="dandruff"
    )
    assert products_named(tracker) == ["shampoo"]


def test_new_search_reads_brand_exclusions_and_cheapest() -> None:
    tracker = message("cheapest shampoo not Dove", product="shampoo", brand="Dove")
    constraints, _ = Constraints.from_message(tracker)
    assert constraints.brand is None and constraints.exclude_brands == ("Dove",)
    assert constraints.sort == "price_asc"


def test_only_a_shown_brand_filters_to_it_even_when_the_nlu_missed_it() -> None:
    updated = update(
        "just sunsilk please",
        constraints=Constraints(product="shampoo", exclude_brands=("Sunsilk",)),
    )
    assert updated.brand == "Sunsilk" and updated.exclude_brands == ()


def test_brands_the_nlu_missed_are_found_in_the_catalogue() -> None:
    catalogue = {"himalaya": "Himalaya", "clinic plus": "Clinic Plus"}.get
    updated = refined(SHAMPOO, "only himalaya please", SHOWN, brand_of=catalogue)
    assert updated.brand == "Himalaya"
    updated = refined(SHAMPOO, "no clinic plus", SHOWN, brand_of=catalogue)
    assert updated.exclude_brands == ("Clinic Plus",) and updated.brand is None
    assert refined(SHAMPOO, "only ones rated 4 and above", SHOWN, brand_of=catalogue).brand is None


def test_excluding_a_brand_takes_it_out_of_the_product_words() -> None:
    updated = Constraints(product="colgate toothpaste").without_brands(("Colgate",))
    assert updated.product == "toothpaste" and updated.exclude_brands == ("Colgate",)


@pytest.mark.parametrize(
    ("text", "sort"),
    [("sort by price low to high", "price_asc"), ("price high to low", "price_desc")],
)
def test_sort_orders(text: str, sort: str) -> None:
    assert update(text).sort == sort


@pytest.mark.parametrize("text", ["not too pricey please", "something reasonably priced"])
def test_not_too_expensive_is_the_cheaper_half_within_the_budget(text: str) -> None:
    updated = update(text)
    assert updated.sort == "cheaper_half" and updated.max_price == 300.0
    assert updated.describe() == "shampoo under ₹300, the cheaper half"


def hits(*prices: float | None) -> list[SearchHit]:
    return [
        SearchHit(product=Product(id=str(i), title="Shampoo", price=price), score=1.0)
        for i, price in enumerate(prices)
    ]


@pytest.mark.parametrize(
    ("sort", "order"),
    [("price_asc", ["3", "0", "2", "1", "4"]), ("price_desc", ["1", "2", "0", "3", "4"]),
     ("cheaper_half", ["0", "3"]), (None, ["0", "1", "2", "3", "4"])],
)  # fmt: skip
def test_price_orders_run_over_every_relevant_hit(sort: str | None, order: list[str]) -> None:
    found = in_price_order(hits(120.0, 400.0, 250.0, 99.0, None), sort)
    assert [h.product.id for h in found] == order


RICE = [
    Product(id="r1", title="Basmati Rice 1 kg", brand="Daawat", price=150.0),
    Product(id="r2", title="Basmati Rice 500 g", brand="India Gate", price=90.0),
]


@pytest.mark.parametrize(
    ("text", "pack", "size"),
    [("a bigger pack", "bigger", "1 kg"), ("smaller one", "smaller", "500 g")],
)
def test_pack_direction_is_relative_to_the_sizes_shown(text: str, pack: str, size: str) -> None:
    updated = refined(
        Constraints(product="basmati rice", sort="price_asc"), text, RICE, brand_of=str
    )
    assert (updated.pack, updated.size, updated.sort) == (pack, size, None)
    assert updated.describe() == f"basmati rice, {pack} than {size}"


def sized(*titles: str) -> list[SearchHit]:
    return [SearchHit(product=Product(id=t, title=t, price=1.0), score=1.0) for t in titles]


def test_bigger_and_smaller_packs_keep_only_those_sizes() -> None:
    found = sized("Atta 1 kg", "Atta 5 kg", "Atta 10kg", "Atta", "Atta 500 g")
    bigger, _ = by_pack_size(found, Constraints(product="atta", pack="bigger", size="1 kg"))
    assert [h.product.id for h in bigger] == ["Atta 5 kg", "Atta 10kg"]
    smaller, _ = by_pack_size(found, Constraints(product="atta", pack="smaller", size="1 kg"))
    assert [h.product.id for h in smaller] == ["Atta 500 g"]


def test_a_pack_size_filters_when_enough_match_and_orders_by_closeness_otherwise() -> None:
    many = sized("Sugar 1 kg", "Sugar 5 kg", "Sugar 1kg", "Sugar 1000 g", "Sugar")
    exact, closest = by_pack_size(many, Constraints(product="sugar", size="1 kg"))
    assert [h.product.id for h in exact] == ["Sugar 1 kg", "Sugar 1kg", "Sugar 1000 g"]
    assert not closest
    few = sized("Sugar 5 kg", "Sugar", "Sugar 1.5 kg", "Sugar 500 g")
    ordered, closest = by_pack_size(few, Constraints(product="sugar", size="2 kg"))
    assert [h.product.id for h in ordered] == ["Sugar 1.5 kg", "Sugar 5 kg", "Sugar 500 g", "Sugar"]
    assert closest and Constraints(product="sugar", size="2 kg").describe(closest=True) == (
        "sugar, closest to 2 kg"
    )
    packs = sized("Rice 5 kg + Atta 5 kg", "Oats 1 kg + Atta 5 kg", "Dal 1 kg + Atta 5 kg", "Atta")
    ordered, closest = by_pack_size(packs, Constraints(product="atta", size="5 kg"))
    assert closest and ordered[0].product.id == "Atta"  # combos alone never make it a filter
    cheapest = in_price_order(
        [SearchHit(product=Product(id=t, title=t, price=p), score=1.0)
         for t, p in (("Rice 5 kg + Atta 5 kg", 90.0), ("Atta", 250.0))],
        "price_asc",
    )  # fmt: skip
    assert cheapest[0].product.id == "Atta"  # a combo is never "the cheapest atta"
    combos = sized("Rice 5 kg + Sugar 2 kg", "Sugar 5 kg + Honey 500 g", "Sugar", "Sugar 1 kg")
    ordered, _ = by_pack_size(combos, Constraints(product="sugar", size="2 kg"))
    assert [h.product.id for h in ordered][:2] == ["Sugar 1 kg", "Sugar"]  # sold alone first


def test_sizes_in_titles() -> None:
    assert pack_amount("Refined Oil 1 Ltr") == (1000.0, "ml")
    assert pack_amount("Rice 1.5kg + Masala 15 g") == (1500.0, "g")
    assert pack_amount("Shirt size M") is None
    assert size_text(1500.0, "g") == "1.5 kg" and size_text(200.0, "ml") == "200 ml"


def test_a_size_or_brand_alone_after_a_search_refines_it() -> None:
    tracker = message("5 kg one", size="5 kg")
    constraints, _ = Constraints.from_message(tracker)
    assert names_only_a_variant(tracker, constraints)
    tracker = message("5 kg rice", size="5 kg", product="rice")
    assert not names_only_a_variant(tracker, Constraints.from_message(tracker)[0])
    tracker = message("show me a television", product="television")
    assert not names_only_a_variant(tracker, Constraints.from_message(tracker)[0])


@pytest.mark.parametrize(
    ("text", "entity", "product"),
    [
        ("i need a paraben free face cream", "free face cream", "paraben free face cream"),
        ("a school bag for my daughter", "school bag", "school bag for daughter"),
        ("shampoo for dandruff under 250", "shampoo", "shampoo for dandruff"),
        ("sugar free biscuits for under 100", "sugar free biscuits", "sugar free biscuits"),
    ],
)
def test_the_product_keeps_what_it_is_free_of_and_for(text: str, entity: str, product: str):
    constraints, _ = Constraints.from_message(message(text, product=entity))
    assert constraints.product == product


def test_a_new_request_that_changes_nothing_is_a_new_search(monkeypatch) -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from actions import refine

    searched: list[Constraints] = []
    monkeypatch.setattr(refine, "shown_products", lambda tracker: SHOWN)
    monkeypatch.setattr(refine, "present", lambda d, c, **kw: searched.append(c) or [])
    slots = {"product": "toothpaste", "shown_products": ["a", "b"]}
    latest = {"text": "show me a television", "intent": {"name": "refine_search"}, "entities": []}
    tracker = Tracker("web-1", slots, latest, [], False, None, None, "action_listen")
    asyncio.run(refine.ActionRefineSearch().run(CollectingDispatcher(), tracker, {}))
    assert searched[0].product == "television"


def test_a_brand_just_before_the_product_is_found_when_the_nlu_missed_it(monkeypatch) -> None:
    from actions import refine

    known = {"pears": "Pears", "ok": "Ok", "me": "&Me", "then": "Then"}  # names brands have
    monkeypatch.setattr(refine, "catalogue_brands", lambda shown: known.get)
    cases = [("forget that. pears soap", "Pears"), ("ok then soap", None), ("show me soap", None)]
    for text, brand in cases:
        tracker = message(text, product="soap")
        constraints, _ = Constraints.from_message(tracker)
        assert constraints.product == "soap"
        assert brand_before_product(tracker, constraints) == brand


def test_a_pack_direction_does_not_search_for_the_old_size() -> None:
    assert Constraints(product="oil", size="5 l", pack="smaller").search_text() == "oil"
    assert Constraints(product="oil", size="5 l").search_text() == "5 l oil"


def test_a_pack_direction_without_sizes_to_go_by_says_so() -> None:
    found, unsure = by_pack_size(sized("Atta", "Atta Chakki"), Constraints(pack="bigger"))
    assert [h.product.id for h in found] == ["Atta", "Atta Chakki"] and unsure
    heading = Constraints(product="atta", pack="bigger").describe(closest=unsure)
    assert heading == "atta (pack sizes not listed, so not surely bigger)"
    _, unsure = by_pack_size(sized("Atta 5 kg", "Atta"), Constraints(pack="bigger"))
    assert not unsure


@pytest.mark.parametrize(
    ("text", "constraints", "said"),
    [
        (
            "only zebracorp",
            SHAMPOO,
            'I couldn\'t find a brand called "zebracorp" for shampoo here',
        ),
        ("only dove", SHAMPOO.with_brand("Dove"), "These are already all Dove."),
        ("the brown one", SHAMPOO, "I'm not sure what to change about the shampoo shown."),
    ],
)
def test_a_refinement_that_changes_nothing_says_so(
    text: str, constraints: Constraints, said: str
) -> None:
    assert update(text, constraints) == constraints  # nothing to re-run the search with
    shown_brands = {p.brand.casefold(): p.brand for p in SHOWN}.get
    assert unchanged_reply(text, constraints, shown_brands).startswith(said)


def test_a_bigger_pack_is_bigger_than_the_size_asked_for() -> None:
    asked = Constraints(product="basmati rice", size="1 kg")
    shown = [Product(id="r5", title="Basmati Rice 5 kg + Atta 10 kg", price=600.0), *RICE]
    updated = refined(asked, "in a bigger pack", shown, brand_of=str)
    assert (updated.pack, updated.size) == ("bigger", "1 kg")
    again = refined(updated, "even bigger", shown, brand_of=str)  # then bigger than those shown
    assert (again.pack, again.size) == ("bigger", "5 kg")


def test_a_product_named_after_for_is_what_the_product_is_for_not_part_of_it() -> None:
    tracker = message("cookies for coffee break", product="cookies", product_2="coffee")
    assert Constraints.from_message(tracker)[0].product == "cookies for coffee break"
