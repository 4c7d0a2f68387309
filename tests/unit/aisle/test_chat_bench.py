import pytest

from aisle.chat_latency import FLOOR_KIND, GREETING_KIND, SEARCH_KIND, ratio_to_floor, summarise


def test_percentiles_in_milliseconds():
    summary = summarise([i / 1000 for i in range(1, 101)])  # 1 … 100 ms
    assert summary.n == 100
    assert summary.p50_ms == pytest.approx(50.5)
    assert summary.p95_ms == pytest.approx(95)
    assert summary.mean_ms == pytest.approx(50.5)


def test_single_sample():
    summary = summarise([0.02])
    assert summary.p50_ms == summary.p95_ms == pytest.approx(20)


def test_ratio_is_search_p95_over_floor_p95():
    results = {
        GREETING_KIND: summarise([0.01]),
        FLOOR_KIND: summarise([0.05]),
        SEARCH_KIND: summarise([0.08]),
    }
    assert ratio_to_floor(results) == pytest.approx(1.6)
