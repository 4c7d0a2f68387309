"""The generic loader: any CSV or JSON-lines catalogue, described by a small TOML mapping file.

A mapping names, for each Product field, the column that holds it (see docs/retrieval.md and
``retrieval/mappings/example-store.toml``). The built-in BigBasket and Myntra loaders are
mappings too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.loaders.reader import (
    Format,
    NotACatalogue,
    Row,
    RowError,
    describe,
    load_products,
    number,
    text,
)
from retrieval.schema import Product


class Columns(BaseModel):
    """Which column holds each product field (names as in the file's header, any case)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    price: str | None = None  # when mapped, a row without a price is rejected
    list_price: str | None = None
    description: str | None = None
    brand: str | None = None
    category: str | list[str] | None = None  # one column per level (broad first), or a path column
    colour: str | None = None
    size: str | None = None
    gender: str | None = None
    rating: str | None = None
    image_url: str | None = None
    attributes: list[str] = Field(default_factory=list)  # kept as free-form key/value pairs


class Mapping(BaseModel):
    """How to read one catalogue file into Products."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Columns
    format: Format | None = None  # default: from the file name (.jsonl/.ndjson, else CSV)
    encoding: str = "utf-8"
    id_prefix: str = ""
    currency: str = "INR"
    category_separator: str = ">"  # splits a single category column into levels

    @classmethod
    def from_file(cls, path: Path) -> Mapping:
        """Read a TOML mapping; NotACatalogue names the problem when it is not a valid one."""
        try:
            return cls.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise NotACatalogue(f"{path}: cannot read the mapping file ({exc})") from exc
        except ValidationError as exc:
            raise NotACatalogue(f"{path}: not a valid mapping: {describe(exc)}") from exc

    def required(self) -> set[str]:
        """Every column the mapping names (a file lacking one is not this catalogue)."""
        named = [
            v for k, v in self.columns.model_dump().items() if k not in ("category", "attributes")
        ]
        return {
            c.lower() for c in [*named, *self._category_columns(), *self.columns.attributes] if c
        }

    def _category_columns(self) -> list[str]:
        category = self.columns.category
        return [category] if isinstance(category, str) else list(category or [])

    def product(self, product_id: str, row: Row) -> Product:
        """The product one row describes; ValueError when the row is not a valid product."""
        cols = self.columns
        category = self.columns.category
        if isinstance(category, str):
            levels = text(row, category.lower()).split(self.category_separator)
        else:
            levels = [text(row, c.lower()) for c in self._category_columns()]
        price = number(row, cols.price.lower()) if cols.price else None
        if cols.price and price is None:
            raise ValueError(f"{cols.price}: missing price")
        optional = {
            name: text(row, column.lower())
            for name in ("description", "brand", "colour", "size", "gender", "image_url")
            if (column := getattr(cols, name))
        }
        return Product(
            id=product_id,
            title=text(row, cols.title.lower()),
            category=tuple(level.strip() for level in levels if level.strip()),
            price=price,
            list_price=number(row, cols.list_price.lower()) if cols.list_price else None,
            rating=number(row, cols.rating.lower()) if cols.rating else None,
            currency=self.currency,
            attributes={
                name: value for name in cols.attributes if (value := text(row, name.lower()))
            },
            **optional,
        )


def load(
    path: Path,
    mapping: Mapping,
    refine: Callable[[Product], Product] | None = None,
) -> Iterator[Product | RowError]:
    """Products of a file read through ``mapping``; ``refine`` may adjust each product."""

    def to_product(product_id: str, row: Row) -> Product:
        product = mapping.product(product_id, row)
        return refine(product) if refine else product

    return load_products(
        path,
        mapping.required(),
        to_product,
        id_column=mapping.columns.id.lower(),
        id_prefix=mapping.id_prefix,
        encoding=mapping.encoding,
        format=mapping.format,
    )
