"""The cart as text: counts and names that tell same-titled products apart."""

from actions.cart import cart_text
from retrieval.schema import Product
from shop.cart import price_cart

ATTA = Product(id="a", title="Whole Wheat Atta", brand="Aashirvaad", price=250)
OTHER_ATTA = Product(id="b", title="Whole Wheat Atta", brand="Pillsbury", price=230)


def test_one_item_is_singular() -> None:
    assert cart_text(price_cart({"a": 1}, [ATTA])).endswith("for 1 item.")
    assert cart_text(price_cart({"a": 2}, [ATTA])).endswith("for 2 items.")


def test_same_titled_lines_name_their_brands() -> None:
    text = cart_text(price_cart({"a": 1, "b": 1}, [ATTA, OTHER_ATTA]))
    assert "1 × Whole Wheat Atta (Aashirvaad) — ₹250" in text
    assert "2. 1 × Whole Wheat Atta (Pillsbury) — ₹230" in text
