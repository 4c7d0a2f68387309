import math

import numpy as np
import pytest

from core.metrics import (
    accuracy,
    accuracy_by_group,
    average_precision,
    dcg,
    f1,
    first_relevant_ranks,
    hit_rate_at_k,
    macro_f1,
    mrr,
    ndcg_at_k,
    pairwise_accuracy,
    recall_at_k,
    roc_auc,
)


def test_pairwise_accuracy_counts_only_same_group_pairs_with_a_large_enough_gap():
    groups = ["a", "a", "a", "b", "b"]
    relevance = [3.0, 2.0, 2.33, 1.0, 3.0]
    scores = [0.9, 0.1, 0.5, 0.0, 1.0]
    # pairs with gap ≥ 0.5: a(3,2), a(3,2.33), b(1,3); a(2,2.33) is too close
    assert pairwise_accuracy(groups, relevance, scores) == 1.0
    assert pairwise_accuracy(groups, relevance, [-s for s in scores]) == 0.0


def test_pairwise_accuracy_counts_a_tie_as_half_and_is_nan_without_pairs():
    assert pairwise_accuracy(["q", "q"], [1.0, 3.0], [0.5, 0.5]) == 0.5
    assert math.isnan(pairwise_accuracy(["q", "r"], [1.0, 3.0], [0.0, 1.0]))


def test_pairwise_accuracy_of_random_scores_is_near_one_half():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(400), 5).tolist()
    relevance = rng.choice([1.0, 2.0, 3.0], size=2000).tolist()
    assert abs(pairwise_accuracy(groups, relevance, rng.random(2000).tolist()) - 0.5) < 0.03


def test_ndcg_is_one_for_the_ideal_order_and_matches_a_hand_computed_value():
    assert ndcg_at_k(["q"] * 3, [3, 2, 1], [0.9, 0.5, 0.1]) == pytest.approx(1.0)
    got = ndcg_at_k(["q"] * 3, [3, 2, 1], [0.1, 0.5, 0.9])
    ideal = 3 + 2 / math.log2(3) + 1 / 2
    worst = 1 + 2 / math.log2(3) + 3 / 2
    assert got == pytest.approx(worst / ideal)


def test_ndcg_cuts_at_k_and_breaks_score_ties_against_the_model():
    assert dcg(np.array([1.0, 1.0, 1.0]), k=1) == 1.0
    tie = ndcg_at_k(["q"] * 2, [3, 1], [0.5, 0.5], k=1)
    assert tie == pytest.approx(1 / 3)


def test_accuracy_and_per_group_accuracy():
    assert accuracy(["a", "b"], ["a", "a"]) == 0.5
    assert accuracy_by_group(["x", "y", "x"], ["p", "n", "n"], ["p", "p", "n"]) == {
        "x": 1.0,
        "y": 0.0,
    }
    with pytest.raises(ValueError):
        accuracy(["a"], [])


def test_hit_rate_counts_ranks_within_k_and_ignores_absent() -> None:
    assert hit_rate_at_k([1, 10, 11, 0], k=10) == 0.5
    assert hit_rate_at_k([3], k=2) == 0.0


def test_mrr_is_mean_reciprocal_rank_with_absent_as_zero() -> None:
    assert mrr([1, 2, 0, 4]) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)


@pytest.mark.parametrize("ranks", [[], [-1]])
def test_metrics_refuse_empty_or_negative_ranks(ranks: list[int]) -> None:
    with pytest.raises(ValueError):
        hit_rate_at_k(ranks)


def test_mrr_cut_at_k_counts_later_ranks_as_absent() -> None:
    assert mrr([1, 2, 11], k=10) == pytest.approx((1 + 0.5) / 3)


def test_recall_and_first_relevant_rank_over_retrieved_lists() -> None:
    relevant = [{"a", "b"}, {"c"}]
    retrieved = [["x", "a", "b"], ["c", "y"]]
    assert recall_at_k(relevant, retrieved, k=2) == pytest.approx((0.5 + 1) / 2)
    assert recall_at_k(relevant, retrieved, k=3) == 1.0
    assert first_relevant_ranks(relevant, [["x", "y"], ["y", "c"]]) == [0, 2]
    with pytest.raises(ValueError):
        recall_at_k([set()], [["a"]])


def test_macro_f1_averages_over_the_gold_labels() -> None:
    # a: P=1, R=.5, F1=2/3; b: P=2/3, R=1, F1=.8; c is only predicted, so not averaged
    assert macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx((2 / 3 + 0.8) / 2)
    assert macro_f1(["a", "b"], ["c", "c"]) == 0.0
    assert math.isnan(macro_f1([], []))


def test_binary_metrics_match_their_definitions() -> None:
    labels = [1, 0, 1, 0]
    assert roc_auc(labels, [0.9, 0.1, 0.4, 0.6]) == 0.75  # 3 of 4 positive-negative pairs
    assert roc_auc(labels, [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert f1(labels, [True, True, False, False]) == 0.5  # P = R = 1/2
    assert average_precision(labels, [0.9, 0.1, 0.4, 0.6]) == pytest.approx((1 + 2 / 3) / 2)
