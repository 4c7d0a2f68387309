"""The numpy filter mask agrees with Filters.accepts, the reference, over many random filters."""

from __future__ import annotations

import random

from retrieval.filters import FilterMask, chroma_where
from retrieval.schema import Filters, Product

COLOURS = ["Navy Blue", "navy blue", "Black", "Red", ""]
GENDERS = ["Men", "Women", "Unisex", ""]
BRANDS = ["Puma", "PUMA", "Titan", "Nike", ""]
CATEGORIES = [("Apparel", "Topwear"), ("Footwear", "Shoes"), ("Accessories", "Watches"), ()]


def random_products(rng: random.Random, n: int) -> list[Product]:
    return [
        Product(
            id=f"p{i}",
            title=f"item {i}",
            brand=rng.choice(BRANDS),
            category=rng.choice(CATEGORIES),
            price=rng.choice([None, 0.0, 99.5, 100.0, 199.99, 500.0]),
            colour=rng.choice(COLOURS),
            gender=rng.choice(GENDERS),
            rating=rng.choice([None, 0.0, 2.5, 4.0, 5.0]),
        )
        for i in range(n)
    ]


def random_filters(rng: random.Random) -> Filters:
    low, high = sorted(rng.choice([0.0, 99.5, 100.0, 150.0, 199.99, 500.0]) for _ in range(2))
    return Filters(
        min_price=rng.choice([None, low]),
        max_price=rng.choice([None, high]),
        brands=tuple(rng.sample(["puma", "Titan", "NIKE", "Adidas", ""], rng.choice([0, 0, 1, 2]))),
        category=rng.choice([None, "apparel", "SHOES", "Watches", "Bags"]),
        colour=rng.choice([None, "NAVY BLUE", "black", "Green"]),
        gender=rng.choice([None, "men", "WOMEN"]),
        min_rating=rng.choice([None, 0.0, 2.5, 4.5]),
        exclude_ids=tuple(f"p{rng.randrange(50)}" for _ in range(rng.choice([0, 3]))),
    )


def test_mask_matches_accepts_for_random_filters() -> None:
    rng = random.Random(3)
    products = random_products(rng, 300)
    index = FilterMask(products)
    for _ in range(500):
        filters = random_filters(rng)
        expected = [filters.accepts(p) for p in products]
        assert index.mask(filters).tolist() == expected, filters


def test_chroma_where_translates_every_filter() -> None:
    assert chroma_where(None) is None
    assert chroma_where(Filters()) is None
    assert chroma_where(Filters(max_price=200)) == {"price": {"$lte": 200.0}}
    where = chroma_where(
        Filters(
            min_price=10,
            brands=("Dove", "dove", "AMUL"),
            category="Hair Care",
            colour="Red",
            gender="Men",
            min_rating=4,
            exclude_ids=("bb-1",),
        )
    )
    assert where == {
        "$and": [
            {"price": {"$gte": 10.0}},
            {"_brand": {"$in": ["amul", "dove"]}},
            {"_category": {"$contains": "hair care"}},
            {"_colour": "red"},
            {"_gender": "men"},
            {"_rating": {"$gte": 4.0}},
            {"id": {"$nin": ["bb-1"]}},
        ]
    }
