from actions.rendering import (
    distinct_names,
    format_price,
    product_card,
    product_list_payload,
    text_line,
    titled,
)
from retrieval.schema import Product, SearchHit

SHAMPOO = Product(
    id="bb-1", title="Herbal Shampoo", brand="Himalaya", price=180, list_price=200, rating=4.2
)


def test_format_price():
    assert format_price(180) == "₹180"
    assert format_price(1250) == "₹1,250"
    assert format_price(99.5) == "₹99.50"
    assert format_price(3, "USD") == "$3"
    assert format_price(3, "CHF") == "CHF 3"


def test_card_carries_exact_catalogue_values():
    card = product_card(SHAMPOO, "top rated")
    assert card["id"] == "bb-1"
    assert card["price"] == 180
    assert card["price_text"] == "₹180"
    assert card["list_price_text"] == "₹200"
    assert card["reason"] == "top rated"


def test_no_strike_through_price_without_discount():
    assert product_card(SHAMPOO.model_copy(update={"list_price": 180}))["list_price_text"] is None


def test_payload_has_cards_text_fallback_and_buttons():
    buttons = [{"title": "Cheaper", "payload": "cheaper"}]
    payload = product_list_payload([SearchHit(product=SHAMPOO, score=1.0)], buttons)
    assert payload["type"] == "product_cards"
    assert [p["id"] for p in payload["products"]] == ["bb-1"]
    assert payload["text"] == "1. Herbal Shampoo — Himalaya — ₹180 — ★4.2"
    assert payload["buttons"] == buttons


def test_text_line_without_brand_or_rating():
    plain = Product(id="x", title="Salt", price=20)
    assert text_line(3, plain) == "3. Salt — ₹20"


def test_product_without_a_price_says_so():
    unpriced = Product(id="m-1", title="Navy Shirt", price=None, list_price=999)
    card = product_card(unpriced)
    assert card["price"] is None
    assert card["price_text"] == "price not listed"
    assert card["list_price_text"] is None
    assert text_line(1, unpriced) == "1. Navy Shirt — price not listed"


def test_same_titled_products_are_told_apart_by_brand_then_size_then_price():
    salts = [
        Product(id="1", title="Iodised Salt", brand="Tata Salt", price=28),
        Product(id="2", title="Iodised Salt", brand="Catch", price=25),
    ]
    assert distinct_names(salts) == ["Iodised Salt (Tata Salt)", "Iodised Salt (Catch)"]
    sizes = [
        Product(id="1", title="Basmati Rice", brand="Daawat", size="1 kg", price=150),
        Product(id="2", title="Basmati Rice", brand="Daawat", size="5 kg", price=650),
        Product(id="3", title="Brown Rice", brand="Daawat", size="1 kg", price=120),
    ]
    assert distinct_names(sizes) == [
        "Basmati Rice (Daawat), 1 kg",
        "Basmati Rice (Daawat), 5 kg",
        "Brown Rice (Daawat)",
    ]
    shades = [
        Product(id="1", title="Hair Colour", brand="Revlon", price=299),
        Product(id="2", title="Hair Colour", brand="Revlon", price=349.5),
    ]
    assert distinct_names(shades) == ["Hair Colour (Revlon), ₹299", "Hair Colour (Revlon), ₹349.50"]


def test_a_title_that_names_its_brand_is_left_alone():
    assert titled(SHAMPOO.model_copy(update={"title": "Himalaya Herbal Shampoo"})) == (
        "Himalaya Herbal Shampoo"
    )
