import pytest

from aisle.chat_bench import summarise


def test_percentiles_in_milliseconds():
    summary = summarise([i / 1000 for i in range(1, 101)])  # 1 … 100 ms
    assert summary.n == 100
    assert summary.p50_ms == pytest.approx(50.5)
    assert summary.p95_ms == pytest.approx(95)
    assert summary.mean_ms == pytest.approx(50.5)


def test_single_sample():
    summary = summarise([0.02])
    assert summary.p50_ms == summary.p95_ms == pytest.approx(20)
