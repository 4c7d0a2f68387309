"""The product schema every catalogue is loaded into, and the structured search filters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Product(BaseModel):
    """One catalogue item. Prices are in ``currency`` units; ``category`` is a path, broad first.

    ``price`` is ``None`` only for catalogues that carry no prices (e.g. Myntra, Instacart); such
    products never pass a price filter.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    brand: str = ""
    category: tuple[str, ...] = ()
    price: float | None = Field(default=None, ge=0)
    list_price: float | None = Field(default=None, ge=0)
    currency: str = "INR"
    colour: str = ""
    size: str = ""
    gender: str = ""
    rating: float | None = Field(default=None, ge=0, le=5)
    image_url: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)

    @field_validator("id", "title", "brand", "colour", "size", "gender", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @property
    def category_path(self) -> str:
        return " > ".join(self.category)


class Filters(BaseModel):
    """Structured constraints that retrieval must honour exactly (all optional, all ANDed).

    Text filters match case-insensitively: ``brand`` against the whole brand, ``category``
    against any level of the category path, ``colour`` and ``gender`` against the whole value.
    """

    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)
    brands: tuple[str, ...] = ()
    category: str | None = None
    colour: str | None = None
    gender: str | None = None
    min_rating: float | None = Field(default=None, ge=0, le=5)
    exclude_ids: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ordered_bounds(self) -> Filters:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError("min_price is above max_price")
        return self

    def accepts(self, product: Product) -> bool:
        """The reference definition of the filters, used to check every retrieval path."""
        price = product.price
        if self.min_price is not None and (price is None or price < self.min_price):
            return False
        if self.max_price is not None and (price is None or price > self.max_price):
            return False
        if self.brands and product.brand.casefold() not in {b.casefold() for b in self.brands}:
            return False
        if self.category and self.category.casefold() not in {
            c.casefold() for c in product.category
        }:
            return False
        if self.colour and product.colour.casefold() != self.colour.casefold():
            return False
        if self.gender and product.gender.casefold() != self.gender.casefold():
            return False
        if self.min_rating is not None and (product.rating or 0) < self.min_rating:
            return False
        return product.id not in self.exclude_ids


class SearchHit(BaseModel):
    """A retrieved product with its fused score (higher is better) and a short reason.

    ``cosine`` and ``bm25`` are the product's scores on the dense and lexical sides (None when
    that side did not retrieve it); the second-stage re-ranker reads them."""

    product: Product
    score: float
    reason: str = ""
    cosine: float | None = None
    bm25: float | None = None
