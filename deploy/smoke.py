"""Chat with a running Aisle through its gateway, as a shopper's widget does (standard library
only, so any Python 3 runs it). Used by deploy/test-deploy.sh; exits 1 on a wrong answer.

    python3 deploy/smoke.py http://127.0.0.1:8000 wait-healthy 600
    python3 deploy/smoke.py http://127.0.0.1:8000 conversation
    python3 deploy/smoke.py http://127.0.0.1:8000 search
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any


def call(url: str, body: dict[str, Any] | None = None, token: str = "", timeout: float = 30) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.load(answer)


class Shopper:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token = call(f"{base}/api/session", {})["token"]

    def say(self, message: str) -> tuple[str, list[dict[str, Any]]]:
        """The bot's texts (joined) and product cards for one message."""
        replies = call(f"{self.base}/api/chat", {"message": message}, self.token)
        texts = " ".join(r.get("text", "") for r in replies)
        cards = [p for r in replies for p in (r.get("custom") or {}).get("products", [])]
        print(f"  > {message}\n  < {texts[:160]!r} · {len(cards)} products", flush=True)
        return texts, cards


def cheapest(cards: list[dict[str, Any]]) -> float:
    return min(c["price"] for c in cards if c.get("price") is not None)


def conversation(base: str) -> list[str]:
    """A search, a refinement and a hand-off; the problems found (none: passed)."""
    shopper, problems = Shopper(base), []
    _, found = shopper.say("show me biscuits")
    if not found:
        problems.append("the search showed no products")
    text, cheaper = shopper.say("cheaper")
    if cheaper and found and cheapest(cheaper) > cheapest(found):
        problems.append("'cheaper' showed nothing cheaper than the first answer's cheapest")
    elif not cheaper and "already the cheapest" not in text:  # else: truly none cheaper
        problems.append(f"'cheaper' showed no products and did not say why: {text!r}")
    text, _ = shopper.say("I want to talk to a person")
    if "support team" not in text:
        problems.append(f"the request for a person was not handed off: {text!r}")
    return problems


def search(base: str) -> list[str]:
    """One search by a new shopper; a problem when it shows no products (e.g. an apology)."""
    try:
        text, cards = Shopper(base).say("show me biscuits")
    except (OSError, urllib.error.HTTPError) as error:
        return [f"the search failed: {error}"]
    return [] if cards else [f"the search showed no products: {text!r}"]


def wait_healthy(base: str, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            checks = call(f"{base}/healthz", timeout=5)
            print(f"  healthz: {checks}")
            return []
        except (OSError, urllib.error.HTTPError, ValueError):
            time.sleep(3)
    return [f"{base}/healthz did not answer 200 within {seconds:.0f} s"]


if __name__ == "__main__":
    base, what, *rest = sys.argv[1:]
    found = {"conversation": conversation, "search": search}.get(what)
    problems = found(base) if found else wait_healthy(base, float(rest[0]))
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
