"""The fast subset of the held-out shopper conversations (evalsets/conversations, `fast: true`)
through the integration stack, with the same runner as ``aisle eval conversations``."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisle.conversations import load_scenarios, run_scenarios, store_cart
from aisle.stack import Stack

pytestmark = pytest.mark.integration

SCENARIOS = Path(__file__).resolve().parents[2] / "evalsets" / "conversations"


def test_the_fast_conversations_pass(stack: Stack) -> None:
    scenarios = load_scenarios(SCENARIOS, fast_only=True)
    assert scenarios, f"no `fast: true` scenarios in {SCENARIOS}"
    report = run_scenarios(scenarios, stack.settings.gateway_url, store_cart(stack.settings))
    failures = [f"{f.scenario} turn {f.turn} {f.user!r}: {f.problems}" for f in report.failures]
    assert report.pass_rate >= 0.95, "\n".join(failures)
