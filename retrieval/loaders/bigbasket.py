"""BigBasket product list (the default demo catalogue): grocery and household, prices in INR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from retrieval.loaders import mapped
from retrieval.loaders.reader import RowError
from retrieval.schema import Product

NAME = "bigbasket"
DEFAULT_FILE = "bigbasket-products/bigbasket_products.csv.gz"
MAPPING = mapped.Mapping(
    id_prefix="bb-",
    currency="INR",
    columns=mapped.Columns(
        id="index",
        title="product",
        brand="brand",
        category=["category", "sub_category", "type"],
        price="sale_price",
        list_price="market_price",
        rating="rating",
    ),
)
REQUIRED = MAPPING.required()


def load(path: Path) -> Iterator[Product | RowError]:
    """Products of a BigBasket-format CSV (``index`` becomes the id ``bb-<index>``)."""
    return mapped.load(path, MAPPING)
