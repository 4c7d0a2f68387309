"""A throw-away SQLite profile store and small product fixtures."""

from __future__ import annotations

from retrieval.schema import Product


def product(pid: str, brand: str = "", category: tuple[str, ...] = (), **fields) -> Product:
    return Product(id=pid, title=f"Product {pid}", brand=brand, category=category, **fields)
