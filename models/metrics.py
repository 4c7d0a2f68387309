"""Ranking and classification metrics (in the style of Microsoft Recommenders' evaluation).

Ranking metrics take parallel sequences: the group (search term) of each item, its true
relevance and the model's score; they compare items only within a group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

import numpy as np


def _by_group(
    groups: Sequence[Hashable], relevance: Sequence[float], scores: Sequence[float]
) -> list[tuple[np.ndarray, np.ndarray]]:
    if not len(groups) == len(relevance) == len(scores):
        raise ValueError("groups, relevance and scores must have the same length")
    index: dict[Hashable, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        index[group].append(i)
    rel, sc = np.asarray(relevance, dtype=float), np.asarray(scores, dtype=float)
    return [(rel[idx], sc[idx]) for idx in index.values()]


def pairwise_accuracy(
    groups: Sequence[Hashable],
    relevance: Sequence[float],
    scores: Sequence[float],
    min_gap: float = 0.5,
) -> float:
    """Share of same-group pairs whose relevance differs by ≥ ``min_gap`` that the scores order
    correctly; a tied score counts as half right. NaN when there is no such pair."""
    right, total = 0.0, 0
    for rel, sc in _by_group(groups, relevance, scores):
        i, j = np.triu_indices(len(rel), k=1)
        keep = np.abs(rel[i] - rel[j]) >= min_gap - 1e-9
        i, j = i[keep], j[keep]
        agreement = np.sign(rel[i] - rel[j]) * np.sign(sc[i] - sc[j])
        right += float(np.sum(agreement > 0) + 0.5 * np.sum(agreement == 0))
        total += len(i)
    return right / total if total else float("nan")


def dcg(gains: np.ndarray, k: int) -> float:
    """Discounted cumulative gain of the first ``k`` gains, in the given order."""
    top = gains[:k]
    return float(np.sum(top / np.log2(np.arange(2, len(top) + 2))))


def ndcg_at_k(
    groups: Sequence[Hashable],
    relevance: Sequence[float],
    scores: Sequence[float],
    k: int = 10,
) -> float:
    """Mean over groups of nDCG@k with the relevance as gain; groups with no gain are skipped.

    Ties in score are broken against the model (worst order) so that a constant scorer gains
    nothing from the input order.
    """
    values = []
    for rel, sc in _by_group(groups, relevance, scores):
        ideal = dcg(np.sort(rel)[::-1], k)
        if ideal > 0:
            order = np.lexsort((rel, -sc))
            values.append(dcg(rel[order], k) / ideal)
    return float(np.mean(values)) if values else float("nan")


def accuracy(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of exact label matches; NaN for no items."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must have the same length")
    if not truth:
        return float("nan")
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)


def accuracy_by_group(
    groups: Sequence[str], truth: Sequence[str], predicted: Sequence[str]
) -> dict[str, float]:
    """Accuracy per group (e.g. per data source), sorted by group name."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        index[group].append(i)
    return {
        g: accuracy([truth[i] for i in idx], [predicted[i] for i in idx])
        for g, idx in sorted(index.items())
    }
