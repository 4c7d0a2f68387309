from decimal import Decimal

from core.database import session_scope
from retrieval.schema import Product
from shop import cart


def product(pid: str, price: float | None) -> Product:
    return Product(id=pid, title=f"Item {pid}", price=price)


def test_totals_are_exact_decimal_sums_of_catalogue_prices():
    products = [product("a", 19.99), product("b", 0.1), product("c", 120)]
    summary = cart.price_cart({"a": 3, "b": 3, "c": 1}, products)
    assert summary.total == Decimal("180.27")  # 59.97 + 0.30 + 120, no float drift
    assert summary.item_count == 7
    assert [line.total for line in summary.lines] == [
        Decimal("59.97"),
        Decimal("0.3"),
        Decimal("120"),
    ]


def test_products_gone_from_the_catalogue_are_reported_not_priced():
    summary = cart.price_cart(
        {"a": 1, "gone": 2, "free": 1}, [product("a", 5), product("free", None)]
    )
    assert summary.product_ids == ["a"]
    assert summary.unavailable == ("gone", "free")
    assert summary.total == Decimal(5)


def test_cart_is_kept_per_shopper(settings):
    with session_scope(settings) as session:
        assert cart.add_item(session, "ann", "a") == 1
        assert cart.add_item(session, "ann", "a", 2) == 3
        cart.add_item(session, "ann", "b")
        cart.add_item(session, "bob", "c", 1000)
    with session_scope(settings) as session:
        assert cart.quantities(session, "ann") == {"a": 3, "b": 1}
        assert cart.quantities(session, "bob") == {"c": cart.MAX_QUANTITY}
        assert cart.remove_items(session, "ann", ["a", "zzz"]) == 1
        assert cart.quantities(session, "ann") == {"b": 1}
        assert cart.clear(session, "bob") == 1
        assert cart.quantities(session, "bob") == {}
