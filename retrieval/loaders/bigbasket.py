"""BigBasket product list (the default demo catalogue): grocery and household, prices in INR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from retrieval.loaders.reader import Row, RowError, load_products, number, text
from retrieval.schema import Product

NAME = "bigbasket"
DEFAULT_FILE = "bigbasket-products/bigbasket_products.csv.gz"
COLUMNS = frozenset(
    {"product", "category", "sub_category", "brand", "sale_price", "market_price", "type"}
)
ID_COLUMN = "index"


def _product(product_id: str, row: Row) -> Product:
    return Product(
        id=product_id,
        title=text(row, "product"),
        brand=text(row, "brand"),
        category=tuple(
            level for level in (text(row, c) for c in ("category", "sub_category", "type")) if level
        ),
        price=_required_price(row),
        list_price=number(row, "market_price"),
        currency="INR",
        rating=number(row, "rating"),
    )


def _required_price(row: Row) -> float:
    price = number(row, "sale_price")
    if price is None:
        raise ValueError("sale_price: missing")
    return price


def load(path: Path) -> Iterator[Product | RowError]:
    """Products of a BigBasket-format CSV (``index`` becomes the id ``bb-<index>``)."""
    return load_products(path, COLUMNS, _product, id_column=ID_COLUMN, id_prefix="bb-")
