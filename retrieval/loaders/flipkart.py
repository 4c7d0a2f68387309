"""Flipkart sample (1,050 products): category trees, list and sale prices, specs, descriptions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from retrieval.loaders.reader import Row, RowError, load_products, number, text
from retrieval.schema import Product

NAME = "flipkart"
DEFAULT_FILE = "flipkart-products-1050/flipkart_com-ecommerce_sample_1050.csv.gz"
REQUIRED = frozenset(
    {
        "uniq_id",
        "product_name",
        "product_category_tree",
        "retail_price",
        "discounted_price",
        "description",
        "product_rating",
        "brand",
        "product_specifications",
    }
)
_AUDIENCES = ("men", "women", "boys", "girls")
_RUBY_ARROW = re.compile(r'"\s*=>\s*')


def specifications(raw: str) -> dict[str, str]:
    """Key/value pairs of Flipkart's Ruby-hash-like specification text ({} when unreadable)."""
    try:
        parsed = json.loads(_RUBY_ARROW.sub('": ', raw))
        entries = parsed["product_specification"]
    except (ValueError, KeyError, TypeError):
        return {}
    if isinstance(entries, dict):
        entries = [entries]
    return {
        str(entry["key"]).strip(): str(entry["value"]).strip()
        for entry in entries
        if isinstance(entry, dict) and entry.get("key") and entry.get("value")
    }


def category_path(raw: str) -> tuple[str, ...]:
    """Levels of '["A >> B >> Title trunc..."]', without the truncated (product title) level."""
    try:
        tree = json.loads(raw)[0]
    except (ValueError, IndexError, TypeError):
        tree = raw.strip('[]"')
    levels = [level.strip() for level in str(tree).split(">>")]
    return tuple(level for level in levels if level and not level.endswith("..."))


def audience(ideal_for: str) -> str:
    """'Men' / 'Women' / 'Boys' / 'Girls' when one is named, 'Unisex' for men and women, else ''."""
    words = set(re.findall(r"[a-z]+", ideal_for.casefold().replace("'s", "")))
    named = [a for a in _AUDIENCES if a in words or a.rstrip("s") in words]
    if len(named) == 1:
        return named[0].capitalize()
    return "Unisex" if set(named) == {"men", "women"} else ""


def _product(product_id: str, row: Row) -> Product:
    specs = specifications(text(row, "product_specifications"))
    price = number(row, "discounted_price")
    if price is None:
        raise ValueError("discounted_price: missing price")
    rating = text(row, "product_rating")
    return Product(
        id=product_id,
        title=text(row, "product_name"),
        description=text(row, "description"),
        brand=text(row, "brand") or specs.get("Brand", ""),
        category=category_path(text(row, "product_category_tree")),
        price=price,
        list_price=number(row, "retail_price"),
        currency="INR",
        colour=specs.get("Color", ""),
        size=specs.get("Size", ""),
        gender=audience(specs.get("Ideal For", "")),
        rating=number(row, "product_rating") if rating[:1].isdigit() else None,
        attributes={k: v for k, v in specs.items() if k not in {"Brand", "Color", "Size"}},
    )


def load(path: Path) -> Iterator[Product | RowError]:
    """Products of the Flipkart sample CSV (``uniq_id`` becomes ``fk-<uniq_id>``)."""
    return load_products(path, REQUIRED, _product, id_column="uniq_id", id_prefix="fk-")
