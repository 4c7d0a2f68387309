"""The fast subset of the held-out shopper conversations (evalsets/conversations, `fast: true`)
through the integration stack, with the same runner as ``aisle eval conversations``."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisle.conversations import load_scenarios, run_scenarios, store_cart
from aisle.stack import Stack

pytestmark = pytest.mark.integration

SCENARIOS = Path(__file__).resolve().parents[2] / "evalsets" / "conversations"
# A ratchet, not the target (95% on the full catalogue): on 30 Nov, before the NLU and search
# halves of issue 12 were merged, 14 of 27 fast scenarios passed on the integration slice (whose
# stack re-orders hits with a quick-trained ranker; 16 without it). Raise it as they land; a
# drop below it is a regression.
FAST_PASS_FLOOR = 0.5


def test_the_fast_conversations_pass(stack: Stack) -> None:
    scenarios = load_scenarios(SCENARIOS, fast_only=True)
    assert scenarios, f"no `fast: true` scenarios in {SCENARIOS}"
    report = run_scenarios(scenarios, stack.settings.gateway_url, store_cart(stack.settings))
    failures = [f"{f.scenario} turn {f.turn} {f.user!r}: {f.problems}" for f in report.failures]
    assert report.pass_rate >= FAST_PASS_FLOOR, "\n".join(failures)
