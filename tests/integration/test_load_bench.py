"""``aisle bench load`` on the real stack: concurrent shoppers, every transcript and cart
verified afterwards."""

from __future__ import annotations

import pytest

from aisle.load_bench import bench_load
from aisle.stack import Stack

pytestmark = pytest.mark.integration


def test_a_small_crowd_loses_and_mixes_nothing(stack: Stack):
    settings = stack.settings
    ports = {"gateway": settings.gateway_port, "actions": settings.action_port}
    result = bench_load(
        settings.gateway_url, shoppers=4, turns=5, ports=ports | {"rasa": settings.rasa_port}
    )
    assert result["problems"] == []
    assert (result["shoppers"], result["turns"], result["errors"], result["lost"]) == (4, 20, 0, 0)
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert result["turns_per_s"] > 0
    assert set(result["cpu_ms_per_turn"]) == {"gateway", "actions", "rasa"}
    assert all(ms > 0 for ms in result["cpu_ms_per_turn"].values())
