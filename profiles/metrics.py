"""Ranking metrics over the 1-based rank of each relevant item (0 = not in the results).

Named and defined as in Microsoft Recommenders' ``python_evaluation``: hit rate at k is the share
of relevant items ranked within the first k; MRR is the mean of 1/rank, an absent item counting 0.
"""

from __future__ import annotations

from collections.abc import Sequence


def _checked(ranks: Sequence[int]) -> Sequence[int]:
    if not ranks:
        raise ValueError("no ranks to evaluate")
    if any(r < 0 for r in ranks):
        raise ValueError("ranks are 1-based positions, or 0 for absent")
    return ranks


def hit_rate_at_k(ranks: Sequence[int], k: int = 10) -> float:
    """Share of items with ``1 <= rank <= k``."""
    ranks = _checked(ranks)
    return sum(1 for r in ranks if 0 < r <= k) / len(ranks)


def mrr(ranks: Sequence[int]) -> float:
    """Mean reciprocal rank (absent items count 0)."""
    ranks = _checked(ranks)
    return sum(1.0 / r for r in ranks if r > 0) / len(ranks)
