"""Home Depot search relevance pairs (``home-depot-search-relevance/train.csv.gz``)."""

from __future__ import annotations

from pathlib import Path

from core.evaluation import RelevancePair
from models.data.splits import dev_groups

FOLDER = "home-depot-search-relevance"


def train_file(data_dir: Path) -> Path:
    """The shared Home Depot file (read it with :func:`core.evaluation.read_pairs`)."""
    return data_dir / FOLDER / "train.csv.gz"


def split_pairs(
    pairs: list[RelevancePair], dev_fraction: float = 0.15, seed: int = 13
) -> tuple[list[RelevancePair], list[RelevancePair]]:
    """Split into (train, dev) by search term, so that no query appears in both."""
    dev = dev_groups((p.search_term for p in pairs), dev_fraction, seed)
    return [p for p in pairs if p.search_term not in dev], [
        p for p in pairs if p.search_term in dev
    ]
