"""Load test (slow): ``aisle bench-chat``'s timing through the real stack, with its models.
The target is a search turn's p95 within twice the p95 of a no-op custom-action turn."""

from __future__ import annotations

import pytest

from aisle.chat_latency import bench_chat, ratio_to_floor
from aisle.stack import Stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TURNS = 40


def test_search_turns_stay_within_twice_the_floor(stack: Stack) -> None:
    results = bench_chat(stack.settings.gateway_url, TURNS)
    assert [summary.n for summary in results.values()] == [TURNS] * 3
    assert ratio_to_floor(results) <= 2, results
