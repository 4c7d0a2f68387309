import pytest

from profiles.metrics import hit_rate_at_k, mrr


def test_hit_rate_counts_ranks_within_k_and_ignores_absent() -> None:
    assert hit_rate_at_k([1, 10, 11, 0], k=10) == 0.5
    assert hit_rate_at_k([3], k=2) == 0.0


def test_mrr_is_mean_reciprocal_rank_with_absent_as_zero() -> None:
    assert mrr([1, 2, 0, 4]) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)


@pytest.mark.parametrize("ranks", [[], [-1]])
def test_metrics_refuse_empty_or_negative_ranks(ranks: list[int]) -> None:
    with pytest.raises(ValueError):
        hit_rate_at_k(ranks)
