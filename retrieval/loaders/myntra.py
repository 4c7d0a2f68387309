"""Myntra fashion styles: gender, category, colour, season and usage; no prices or ratings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from retrieval.loaders import mapped
from retrieval.loaders.reader import RowError
from retrieval.schema import Product

NAME = "myntra"
DEFAULT_FILE = "myntra-fashion-styles/styles.csv.gz"
MAPPING = mapped.Mapping(
    id_prefix="myntra-",
    currency="INR",
    columns=mapped.Columns(
        id="id",
        title="productDisplayName",
        category=["masterCategory", "subCategory"],
        colour="baseColour",
        gender="gender",
        attributes=["season", "usage"],
    ),
)
REQUIRED = MAPPING.required()
# Display names start with the brand and then, mostly, the audience: "Puma Men Grey T-shirt".
_AUDIENCE = {
    *("men", "men's", "mens", "women", "women's", "womens", "boys", "boy's", "girls", "girl's"),
    *("unisex", "kids", "for"),
}


def brand_from_title(title: str) -> str:
    """The words before the audience word ('Peter England Men ...' -> 'Peter England'), or ''."""
    words = title.split()
    for position, word in enumerate(words):
        if word.casefold() in _AUDIENCE:
            return " ".join(words[:position])
    return ""


def _with_brand(product: Product) -> Product:
    return product.model_copy(update={"brand": brand_from_title(product.title)})


def load(path: Path) -> Iterator[Product | RowError]:
    """Products of Myntra's styles.csv (``id`` becomes ``myntra-<id>``)."""
    return mapped.load(path, MAPPING, refine=_with_brand)
