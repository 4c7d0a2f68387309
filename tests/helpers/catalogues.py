"""Small generated catalogues and products, so no test touches var/ or the shared data."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from retrieval.schema import Product

BRANDS = ["Dove", "Himalaya", "Tata", "Fortune", "Nivea", "Amul", "Sri Sri Ayurveda", ""]
CATEGORIES = [
    ("Beauty & Hygiene", "Hair Care", "Shampoo & Conditioner"),
    ("Beauty & Hygiene", "Skin Care", "Face Wash"),
    ("Foodgrains, Oil & Masala", "Rice & Rice Products", "Basmati Rice"),
    ("Foodgrains, Oil & Masala", "Edible Oils & Ghee", "Sunflower Oil"),
    ("Beverages", "Tea", "Green Tea"),
    ("Beverages", "Coffee", "Instant Coffee"),
]
NOUNS = {
    "Shampoo & Conditioner": ["Shampoo", "Conditioner", "Anti-Dandruff Shampoo"],
    "Face Wash": ["Face Wash", "Neem Face Wash", "Cleanser"],
    "Basmati Rice": ["Basmati Rice", "Brown Rice", "Premium Rice"],
    "Sunflower Oil": ["Sunflower Oil", "Refined Oil", "Cooking Oil"],
    "Green Tea": ["Green Tea", "Tulsi Green Tea", "Tea Bags"],
    "Instant Coffee": ["Instant Coffee", "Filter Coffee", "Coffee Powder"],
}
ADJECTIVES = ["Classic", "Herbal", "Gold", "Daily", "Fresh", "Organic", "Natural"]
SIZES = ["100 ml", "200 ml", "1 kg", "500 g", "25 bags"]
PRICES = [49.0, 99.0, 99.5, 120.0, 149.99, 199.99, 200.0, 249.0, 375.25, 600.0]
RATINGS = ["", "", "2.5", "3.4", "3.9", "4.1", "4.5", "5"]
HEADER = [
    "index",
    "product",
    "category",
    "sub_category",
    "brand",
    "sale_price",
    "market_price",
    "type",
    "rating",
]


def write_catalogue(path: Path, size: int, seed: int = 7) -> Path:
    """A BigBasket-format CSV of ``size`` random but plausible products."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(1, size + 1):
            path_ = rng.choice(CATEGORIES)
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[path_[2]])} - {rng.choice(SIZES)}"
            price = rng.choice(PRICES)
            brand = rng.choice(BRANDS)
            writer.writerow(
                [
                    index,
                    title,
                    path_[0],
                    path_[1],
                    brand.upper() if index % 9 == 0 else brand,
                    price,
                    price + rng.choice([0, 0, 50]),
                    path_[2],
                    rng.choice(RATINGS),
                ]
            )
    return path


def product(pid: str, brand: str = "", category: tuple[str, ...] = (), **fields) -> Product:
    """A catalogue product with a generated title."""
    return Product(id=pid, title=f"Product {pid}", brand=brand, category=category, **fields)
