"""``aisle bench load``: many shoppers chatting at once through a running gateway, and a check
afterwards that nothing was lost or mixed.

Each shopper gets a session of its own and sends ``turns`` messages one at a time (as a person
does): searches, each followed by "add the first one to my cart", and last "show my cart". All
shoppers run concurrently. Afterwards every shopper's transcript (``GET /api/chat/messages``)
must hold exactly their messages in the order sent, and their cart exactly the products they
added (the first card of each search before an add).

- ``errors``: turns that got no answer (HTTP error, timeout) or an apology instead of one;
- ``lost``: shoppers whose transcript or cart is not exactly what they did (a lost, duplicated,
  reordered or foreign message among those answered, a missing or extra cart line). A cart is
  judged only when every turn before "show my cart" was answered: an add that timed out may
  have gone through (the apology says so), and a search that timed out still changes what
  "the first one" is for the next add.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from aisle.chat_latency import SEARCHES, summarise
from aisle.stack import group_cpu_seconds
from gateway.rasa_client import APOLOGY_NO_ANSWER, APOLOGY_TIMED_OUT, APOLOGY_UNAVAILABLE

ADD = "add the first one to my cart"
SHOW_CART = "show my cart"
APOLOGIES = {APOLOGY_NO_ANSWER, APOLOGY_TIMED_OUT, APOLOGY_UNAVAILABLE}
TURN_TIMEOUT_S = 60.0


def script(shopper: int, turns: int) -> list[str]:
    """The shopper's messages: search, add, search, add, …, and "show my cart" last."""
    messages = []
    for i in range(turns - 1):
        search = SEARCHES[(shopper + i // 2) % len(SEARCHES)]
        messages.append(search if i % 2 == 0 else ADD)
    return [*messages, SHOW_CART]


def product_ids(replies: list[dict[str, Any]]) -> list[str]:
    return [
        str(p.get("id"))
        for m in replies
        if isinstance(m.get("custom"), dict)
        for p in m["custom"].get("products") or []
    ]


@dataclass
class Shopper:
    """What one simulated shopper did and saw."""

    number: int
    messages: list[str]
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    answered: list[str] = field(default_factory=list)  # messages the gateway answered (200)
    added: Counter[str] = field(default_factory=Counter)
    cart: Counter[str] | None = None  # None: not shown, or an add's outcome is unknown
    transcript: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Why this shopper's transcript or cart is not exactly what they did; none when it is."""
        found = []
        if self.transcript != self.answered:
            found.append(f"{self.number}: transcript {self.transcript} != {self.answered}")
        if self.cart is not None and self.cart != self.added:
            found.append(f"{self.number}: cart {dict(self.cart)} != added {dict(self.added)}")
        return found


async def run_shopper(client: httpx.AsyncClient, shopper: Shopper) -> None:
    session = await client.post("/api/session")
    session.raise_for_status()
    headers = {"Authorization": f"Bearer {session.json()['token']}"}
    shown: list[str] = []
    uncertain = False  # a turn got no answer: the cart may or may not hold what it changed
    for i, message in enumerate(shopper.messages):
        body = {"message": message, "message_id": f"load-{shopper.number}-{i}"}
        start = time.perf_counter()
        try:
            response = await client.post(
                "/api/chat", json=body, headers=headers, timeout=TURN_TIMEOUT_S
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError):
            shopper.errors += 1
            uncertain = True
            continue
        finally:
            shopper.latencies_s.append(time.perf_counter() - start)
        shopper.answered.append(message)
        if {r.get("text") for r in replies} & APOLOGIES:
            shopper.errors += 1
            uncertain = True
        elif message == ADD and shown:
            shopper.added[shown[0]] += 1
        elif message == SHOW_CART and not uncertain:
            shopper.cart = Counter(product_ids(replies))
        shown = product_ids(replies)
    feed = await client.get("/api/chat/messages", headers=headers)
    feed.raise_for_status()
    shopper.transcript = [m["text"] for m in feed.json() if m["speaker"] == "shopper"]


def cpu_seconds(ports: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) used so far by each server's whole process group, found by the
    ``--port N`` on its leader's command line; absent for a server not running here."""
    used = {}
    for proc in Path("/proc").glob("[0-9]*"):
        pid = int(proc.name)
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            leader = os.getpgid(pid) == pid
        except OSError:  # gone meanwhile
            continue
        for name, port in ports.items():
            if leader and b"--port" in argv and str(port).encode() in argv:
                used[name] = group_cpu_seconds(pid)
    return used


async def run_load(url: str, shoppers: int, turns: int) -> list[Shopper]:
    crowd = [Shopper(n, script(n, turns)) for n in range(shoppers)]
    limits = httpx.Limits(max_connections=shoppers + 10)
    async with httpx.AsyncClient(base_url=url, timeout=TURN_TIMEOUT_S, limits=limits) as client:
        results = await asyncio.gather(
            *(run_shopper(client, s) for s in crowd), return_exceptions=True
        )
    for shopper, result in zip(crowd, results, strict=True):
        if isinstance(result, BaseException):  # no session or no transcript: all of it lost
            shopper.errors = max(shopper.errors, 1)
    return crowd


def bench_load(
    url: str, shoppers: int, turns: int, ports: dict[str, int] | None = None
) -> dict[str, Any]:
    """Run the crowd and summarise: the figures of the command's last line."""
    before = cpu_seconds(ports or {})
    start = time.perf_counter()
    crowd = asyncio.run(run_load(url, shoppers, turns))
    wall_s = time.perf_counter() - start
    after = cpu_seconds(ports or {})
    latency = summarise([s for shopper in crowd for s in shopper.latencies_s] or [0.0])
    done = sum(len(s.latencies_s) for s in crowd)
    return {
        "shoppers": shoppers,
        "turns": done,
        "errors": sum(s.errors for s in crowd),
        "lost": sum(bool(s.problems()) for s in crowd),
        "p50_ms": round(latency.p50_ms),
        "p95_ms": round(latency.p95_ms),
        "turns_per_s": round(done / wall_s, 2),
        "cpu_ms_per_turn": {
            name: round(1000 * (after[name] - before.get(name, 0.0)) / max(done, 1), 1)
            for name in sorted(after)
        },
        "problems": [p for s in crowd for p in s.problems()][:5],
    }
