"""Filters translated for each retrieval side, both matching :meth:`Filters.accepts` exactly.

:class:`FilterMask` evaluates filters over the in-memory catalogue with numpy: the one mask of
both search sides and of filter-only (empty query) searches. :func:`chroma_where` is the same
filters as a Chroma metadata ``where`` (see ``retrieval.store`` for the keys), for Chroma's own
queries (the HNSW recall measurement).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from retrieval.schema import Filters, Product


def chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """The Chroma ``where`` clause for ``filters``; None when nothing is constrained."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.min_price is not None:
        clauses.append({"price": {"$gte": float(filters.min_price)}})
    if filters.max_price is not None:
        clauses.append({"price": {"$lte": float(filters.max_price)}})
    if filters.brands:
        clauses.append({"_brand": {"$in": sorted({b.casefold() for b in filters.brands})}})
    if filters.category:
        clauses.append({"_category": {"$contains": filters.category.casefold()}})
    if filters.colour:
        clauses.append({"_colour": filters.colour.casefold()})
    if filters.gender:
        clauses.append({"_gender": filters.gender.casefold()})
    if filters.min_rating is not None:
        clauses.append({"_rating": {"$gte": float(filters.min_rating)}})
    if filters.exclude_ids:
        clauses.append({"id": {"$nin": list(filters.exclude_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class FilterMask:
    """Vectorised filters over a fixed list of products (row i is ``products[i]``)."""

    def __init__(self, products: Sequence[Product]) -> None:
        self.size = len(products)
        self.price = np.array(
            [np.nan if p.price is None else p.price for p in products], dtype=np.float64
        )
        self.rating = np.array([p.rating or 0.0 for p in products], dtype=np.float64)
        self._values = {
            name: _rows_by_value(getattr(p, name).casefold() for p in products)
            for name in ("brand", "colour", "gender")
        }
        categories: dict[str, list[int]] = defaultdict(list)
        for row, product in enumerate(products):
            for level in {c.casefold() for c in product.category}:
                categories[level].append(row)
        self._categories = {key: np.array(rows) for key, rows in categories.items()}
        self._rows = {p.id: row for row, p in enumerate(products)}

    def mask(self, filters: Filters | None) -> np.ndarray:
        """A boolean array: True where the product satisfies every filter."""
        keep = np.ones(self.size, dtype=bool)
        if filters is None:
            return keep
        with np.errstate(invalid="ignore"):  # NaN (no price) compares False, as accepts() says
            if filters.min_price is not None:
                keep &= self.price >= filters.min_price
            if filters.max_price is not None:
                keep &= self.price <= filters.max_price
        if filters.min_rating is not None:
            keep &= self.rating >= filters.min_rating
        if filters.brands:
            keep &= self._any_of("brand", {b.casefold() for b in filters.brands})
        if filters.colour:
            keep &= self._any_of("colour", {filters.colour.casefold()})
        if filters.gender:
            keep &= self._any_of("gender", {filters.gender.casefold()})
        if filters.category:
            keep &= self._select(self._categories.get(filters.category.casefold()))
        for product_id in filters.exclude_ids:
            if product_id in self._rows:
                keep[self._rows[product_id]] = False
        return keep

    def _any_of(self, field: str, values: set[str]) -> np.ndarray:
        rows = [self._values[field][v] for v in values if v in self._values[field]]
        return self._select(np.concatenate(rows) if rows else None)

    def _select(self, rows: np.ndarray | None) -> np.ndarray:
        selected = np.zeros(self.size, dtype=bool)
        if rows is not None:
            selected[rows] = True
        return selected


def _rows_by_value(values: Any) -> dict[str, np.ndarray]:
    rows: dict[str, list[int]] = defaultdict(list)
    for row, value in enumerate(values):
        rows[value].append(row)
    return {value: np.array(indices) for value, indices in rows.items()}
