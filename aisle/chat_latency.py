"""Measure chat-turn latency through the gateway of a running Aisle (``aisle bench chat``).

Three kinds of turn, each in conversations of a few turns (as shoppers have them, so that no
kind pays for a longer Rasa tracker than another):

- greeting: a rule and a template, Rasa alone;
- floor: the cheapest turn that goes through the action server (a "no-op custom-action turn"),
  here viewing an empty cart, a custom action whose own work is one small SQL read;
- search: the search action with retrieval over the catalogue.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

SEARCHES = (
    "show me shampoo under 200",
    "green tea",
    "Himalaya face wash",
    "chocolates under 300",
    "basmati rice between 100 and 500",
    "hair oil",
    "biscuits under 50",
    "coffee",
)
GREETING = "hi"
FLOOR_MESSAGE = "show my cart"  # a fresh shopper's cart is empty: the action does ~nothing
TURNS_PER_CONVERSATION = 5
GREETING_KIND = "greeting (template, no custom action)"
FLOOR_KIND = "floor (no-op custom action: empty cart)"
SEARCH_KIND = "search (action + retrieval)"


@dataclass(frozen=True)
class LatencySummary:
    """Latency percentiles in milliseconds over ``n`` turns."""

    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float


def summarise(samples_s: list[float]) -> LatencySummary:
    ms = sorted(s * 1000 for s in samples_s)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return LatencySummary(len(ms), statistics.median(ms), p95, statistics.fmean(ms))


def time_turns(url: str, messages: list[str]) -> list[float]:
    """Send each message as one turn, starting a new conversation (a new shopper session)
    every ``TURNS_PER_CONVERSATION`` turns; return the wall time of each answer."""
    samples = []
    with httpx.Client(base_url=url, timeout=60) as client:
        headers: dict[str, str] = {}
        for i, message in enumerate(messages):
            if i % TURNS_PER_CONVERSATION == 0:  # a new conversation: a new shopper session
                headers = session_headers(client)
            start = time.perf_counter()
            response = client.post("/api/chat", json={"message": message}, headers=headers)
            response.raise_for_status()
            samples.append(time.perf_counter() - start)
    return samples


def session_headers(client: httpx.Client) -> dict[str, str]:
    """``Authorization`` for a new shopper session of the gateway (``POST /api/session``)."""
    response = client.post("/api/session")
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def bench_chat(url: str, turns: int) -> dict[str, LatencySummary]:
    """Warm up, then time ``turns`` turns of each kind."""
    time_turns(url, [GREETING, FLOOR_MESSAGE, SEARCHES[0]])
    searches = [SEARCHES[i % len(SEARCHES)] for i in range(turns)]
    return {
        GREETING_KIND: summarise(time_turns(url, [GREETING] * turns)),
        FLOOR_KIND: summarise(time_turns(url, [FLOOR_MESSAGE] * turns)),
        SEARCH_KIND: summarise(time_turns(url, searches)),
    }


def ratio_to_floor(results: dict[str, LatencySummary]) -> float:
    """Search p95 over the floor's p95 (the README's latency target is at most 2)."""
    return results[SEARCH_KIND].p95_ms / results[FLOOR_KIND].p95_ms
