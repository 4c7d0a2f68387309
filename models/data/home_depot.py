"""Home Depot search relevance pairs (``home-depot-search-relevance/train.csv.gz``)."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from models.data.splits import dev_groups

FOLDER = "home-depot-search-relevance"


@dataclass(frozen=True)
class RelevancePair:
    """One rated (search term, product title) pair; relevance is 1 (not) to 3 (highly)."""

    id: str
    product_uid: str
    product_title: str
    search_term: str
    relevance: float | None = None


def read_pairs(data_dir: Path) -> list[RelevancePair]:
    """All rated pairs of the shared Home Depot file (latin-1, as distributed)."""
    with gzip.open(data_dir / FOLDER / "train.csv.gz", "rt", encoding="latin1", newline="") as f:
        return [
            RelevancePair(
                id=row["id"],
                product_uid=row["product_uid"],
                product_title=row["product_title"],
                search_term=row["search_term"],
                relevance=float(row["relevance"]),
            )
            for row in csv.DictReader(f)
        ]


def split_pairs(
    pairs: list[RelevancePair], dev_fraction: float = 0.15, seed: int = 13
) -> tuple[list[RelevancePair], list[RelevancePair]]:
    """Split into (train, dev) by search term, so that no query appears in both."""
    dev = dev_groups((p.search_term for p in pairs), dev_fraction, seed)
    return [p for p in pairs if p.search_term not in dev], [
        p for p in pairs if p.search_term in dev
    ]
