"""Measure chat-turn latency through the gateway of a running Aisle (``aisle bench chat``)."""

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
FLOOR_MESSAGE = "hi"  # answered by a rule and a template: Rasa alone, no custom action


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


def time_turns(url: str, messages: list[str], sender: str) -> list[float]:
    """Send each message as one turn; return the wall time of each answer."""
    samples = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for message in messages:
            start = time.perf_counter()
            response = client.post("/api/chat", json={"sender": sender, "message": message})
            response.raise_for_status()
            samples.append(time.perf_counter() - start)
    return samples


def bench_chat(url: str, turns: int) -> dict[str, LatencySummary]:
    """Warm up, then time ``turns`` floor turns and ``turns`` search turns."""
    time_turns(url, [FLOOR_MESSAGE, SEARCHES[0]], "bench-warm-up")
    searches = [SEARCHES[i % len(SEARCHES)] for i in range(turns)]
    return {
        "floor (greeting, no custom action)": summarise(
            time_turns(url, [FLOOR_MESSAGE] * turns, "bench-floor")
        ),
        "search (action + retrieval)": summarise(time_turns(url, searches, "bench-search")),
    }
