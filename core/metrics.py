"""Every evaluation metric of the project, as pure functions (in the style of Microsoft
Recommenders' ``python_evaluation``: each takes the truth first, then the system's output, then
its cut-off ``k``, and returns one float).

The argument families:

- graded ranking: parallel ``groups`` (search term of each item), ``relevance`` (true grade) and
  ``scores`` (the model's); items are compared only within their group;
- retrieval lists: per query, the ``relevant`` ids and the ``retrieved`` ids in ranked order;
- ranks: per target item, its 1-based position in the results (0 = not in them);
- labels: parallel ``truth`` and ``predicted`` labels; binary ``labels`` (0/1) with ``scores``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Sequence

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
    """Discounted cumulative gain of the first ``k`` gains in the given order:
    ``sum(gain_i / log2(i + 1))`` for positions i = 1..k."""
    top = gains[:k]
    return float(np.sum(top / np.log2(np.arange(2, len(top) + 2))))


def ndcg_at_k(
    groups: Sequence[Hashable],
    relevance: Sequence[float],
    scores: Sequence[float],
    k: int = 10,
) -> float:
    """Mean over groups of DCG@k of the score order / DCG@k of the ideal order, with the
    relevance as gain; groups with no gain are skipped (NaN when none is left).

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


def _lists(relevant: Sequence[Collection[str]], retrieved: Sequence[Sequence[str]]) -> None:
    if len(relevant) != len(retrieved):
        raise ValueError("relevant and retrieved must have one entry per query")
    if not relevant:
        raise ValueError("no queries to evaluate")
    if any(not wanted for wanted in relevant):
        raise ValueError("every query needs at least one relevant id")


def recall_at_k(
    relevant: Sequence[Collection[str]], retrieved: Sequence[Sequence[str]], k: int = 10
) -> float:
    """Mean over queries of |relevant ∩ first k retrieved| / |relevant|."""
    _lists(relevant, retrieved)
    per_query = [
        len(set(wanted) & set(found[:k])) / len(wanted)
        for wanted, found in zip(relevant, retrieved, strict=True)
    ]
    return sum(per_query) / len(per_query)


def first_relevant_ranks(
    relevant: Sequence[Collection[str]], retrieved: Sequence[Sequence[str]]
) -> list[int]:
    """Per query, the 1-based rank of its first relevant retrieved id (0 when none is retrieved),
    the input of :func:`hit_rate_at_k` and :func:`mrr`."""
    _lists(relevant, retrieved)
    return [
        next((rank for rank, pid in enumerate(found, start=1) if pid in wanted), 0)
        for wanted, found in zip(relevant, retrieved, strict=True)
    ]


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


def mrr(ranks: Sequence[int], k: int | None = None) -> float:
    """Mean reciprocal rank: mean of ``1 / rank``, an absent item (or, given ``k``, one ranked
    below ``k``) counting 0."""
    ranks = _checked(ranks)
    return sum(1.0 / r for r in ranks if r > 0 and (k is None or r <= k)) / len(ranks)


def accuracy(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Share of exact label matches; NaN for no items."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must have the same length")
    if not truth:
        return float("nan")
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)


def accuracy_by_group(
    groups: Sequence[str], truth: Sequence[Hashable], predicted: Sequence[Hashable]
) -> dict[str, float]:
    """Accuracy per group (e.g. per data source), sorted by group name."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        index[group].append(i)
    return {
        g: accuracy([truth[i] for i in idx], [predicted[i] for i in idx])
        for g, idx in sorted(index.items())
    }


def macro_f1(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Mean over the labels present in ``truth`` of F1 = 2PR / (P + R) (0 when P + R = 0), with
    P = right / predicted as the label and R = right / truly the label; NaN for no items."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must have the same length")
    if not truth:
        return float("nan")
    right, predicted_count, true_count = Counter[Hashable](), Counter(predicted), Counter(truth)
    for t, p in zip(truth, predicted, strict=True):
        right[t] += t == p
    f1s = []
    for label in true_count:
        precision = right[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = right[label] / true_count[label]
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / len(f1s)


def f1(labels: Sequence[int], predicted: Sequence[int | bool]) -> float:
    """F1 of the positive class (label 1): 2PR / (P + R)."""
    from sklearn.metrics import f1_score

    return float(f1_score(labels, predicted))


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the probability that a random positive (label 1) scores above a
    random negative, ties counting half."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mean over the positives of the precision among the items scored at least as high."""
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(labels, scores))
