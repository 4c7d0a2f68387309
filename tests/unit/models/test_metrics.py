import math

import numpy as np
import pytest

from models.metrics import accuracy, accuracy_by_group, dcg, ndcg_at_k, pairwise_accuracy


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
