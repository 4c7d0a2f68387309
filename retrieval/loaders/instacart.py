"""Instacart products with their aisle and department (no prices, brands or ratings)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from retrieval.loaders.reader import NotACatalogue, Row, RowError, load_products, read_rows, text
from retrieval.schema import Product

NAME = "instacart"
DEFAULT_FILE = "instacart-grocery-orders/products.csv.gz"
REQUIRED = frozenset({"product_id", "product_name", "aisle_id", "department_id"})


def _names(path: Path, key: str) -> dict[str, str]:
    """``{id: name}`` from aisles.csv / departments.csv."""
    names: dict[str, str] = {}
    for item in read_rows(path, {f"{key}_id", key}):
        if isinstance(item, RowError):
            raise NotACatalogue(f"{path}: {item}")
        names[text(item[1], f"{key}_id")] = text(item[1], key)
    return names


def load(path: Path) -> Iterator[Product | RowError]:
    """Products of Instacart's products.csv, with aisles.csv and departments.csv beside it."""
    aisles = _names(path.parent / "aisles.csv", "aisle")
    departments = _names(path.parent / "departments.csv", "department")

    def to_product(product_id: str, row: Row) -> Product:
        aisle, department = text(row, "aisle_id"), text(row, "department_id")
        if aisle not in aisles or department not in departments:
            raise ValueError(f"unknown aisle {aisle!r} or department {department!r}")
        return Product(
            id=product_id,
            title=text(row, "product_name"),
            category=(departments[department], aisles[aisle]),
            currency="USD",
        )

    return load_products(path, REQUIRED, to_product, id_column="product_id", id_prefix="ic-")
