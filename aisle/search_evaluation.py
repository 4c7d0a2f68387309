"""``aisle eval search``: shopper requests through the search action's own code path, judged by a
rule per request.

Input CSV columns: ``id,catalog,query,relevant,brand,min_price,max_price,not_sold``
(evalsets/README.md). ``relevant`` is a regular expression (case-insensitive) over a product's
"title | category path"; ``brand`` (the product's brand equals it, or starts with it and a
space) and ``min_price``/``max_price`` are checked too. ``not_sold`` (1/true/yes) marks a request
for something the shop does not sell, answered honestly when no product is shown.

Each request is read as the search action reads a message without NLU entities
(``parse_shopping_query``), then ``actions.search.find`` runs the rest: brand in the words,
filters, the search pipeline (retrieval, re-ranking) and the relevance floor.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.schema import Product

TRUE = {"1", "true", "yes", "y"}


@dataclass(frozen=True)
class Request:
    """One row of the input file."""

    id: str
    catalog: str
    query: str
    relevant: re.Pattern[str]
    brand: str
    min_price: float | None
    max_price: float | None
    not_sold: bool

    def accepts(self, product: Product) -> bool:
        """The request's rule: the pattern, the brand and the price bounds."""
        if not self.relevant.search(f"{product.title} | {product.category_path}"):
            return False
        brand, wanted = product.brand.strip().casefold(), self.brand.casefold()
        if wanted and brand != wanted and not brand.startswith(f"{wanted} "):
            return False
        price = product.price
        if self.min_price is not None and (price is None or price < self.min_price):
            return False
        return self.max_price is None or (price is not None and price <= self.max_price)


def _number(value: str | None) -> float | None:
    return float(value) if value and value.strip() else None


def read_requests(path: Path) -> list[Request]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Request(
                id=row["id"],
                catalog=(row.get("catalog") or "").strip(),
                query=row["query"],
                relevant=re.compile(row.get("relevant") or "(?!)", re.I),
                brand=(row.get("brand") or "").strip(),
                min_price=_number(row.get("min_price")),
                max_price=_number(row.get("max_price")),
                not_sold=(row.get("not_sold") or "").strip().casefold() in TRUE,
            )
            for row in csv.DictReader(handle)
        ]


def answer(query: str) -> tuple[list[Product], str]:
    """The products the search action shows for ``query`` and, when none, what it says."""
    from actions.constraints import Constraints
    from actions.search import find, not_found_reply
    from actions.shopping_query import parse_shopping_query

    parsed = parse_shopping_query(query)
    constraints = Constraints(
        product=parsed.text or None,
        min_price=parsed.min_price,
        max_price=parsed.max_price,
        min_rating=parsed.min_rating,
        sort=parsed.sort,
    )
    found = find(constraints)
    reply = "" if found.hits else not_found_reply(found, parsed.cheap)[0]
    return [hit.product for hit in found.hits], reply


def evaluate_search(path: Path, catalog: str, predictions: Path | None) -> dict[str, Any]:
    """Precision of the products shown, first-result relevance and not-sold honesty over the
    requests for ``catalog``; one predictions row per request when ``predictions`` is given."""
    every = read_requests(path)
    requests = [r for r in every if r.catalog in ("", catalog)]
    rows: list[dict[str, Any]] = []
    for request in requests:
        products, reply = answer(request.query)
        good = [request.accepts(p) for p in products]
        rows.append(
            {
                "id": request.id,
                "query": request.query,
                "not_sold": int(request.not_sold),
                "shown": len(products),
                "relevant_shown": sum(good),
                "first_relevant": int(bool(good and good[0])),
                "products": " || ".join(
                    f"{'+' if ok else '-'} {p.title} [{p.category_path}]"
                    for p, ok in zip(products, good, strict=True)
                ),
                "reply": reply,
            }
        )
    if predictions:
        predictions.parent.mkdir(parents=True, exist_ok=True)
        with predictions.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["id"])
            writer.writeheader()
            writer.writerows(rows)
    sold = [r for r in rows if not r["not_sold"]]
    not_sold = [r for r in rows if r["not_sold"]]
    shown = sum(r["shown"] for r in sold)
    return {
        "input": str(path),
        "catalog": catalog,
        "requests": len(sold),
        "not_sold_requests": len(not_sold),
        "skipped_other_catalogues": len(every) - len(requests),
        "precision": _ratio(sum(r["relevant_shown"] for r in sold), shown),
        "first_result_relevant": _ratio(sum(r["first_relevant"] for r in sold), len(sold)),
        "answered": _ratio(sum(1 for r in sold if r["shown"]), len(sold)),
        "products_per_request": _ratio(shown, len(sold)),
        "not_sold_honesty": _ratio(sum(1 for r in not_sold if not r["shown"]), len(not_sold)),
    }


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None
