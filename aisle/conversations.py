"""``aisle eval conversations``: scripted multi-turn shopper conversations against a running
stack, through the gateway's chat API, each turn checked (format: evalsets/README.md).

A scenario is a list of turns; a turn is what the shopper types and what the answer must show:
regexes on the product titles, brands and the bot's words, price bounds and order, no apology,
the cart's contents. Every scenario talks as a fresh shopper (a new sender id), so carts and
slots never leak between scenarios.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from core.settings import Settings

APOLOGY = re.compile(r"\b(?:sorry|apolog\w*)\b", re.I)
# A check reads the turn's answer (and the cart, for cart checks) and names what is wrong.
Check = Callable[["Answer", Any], str | None]


@dataclass(frozen=True)
class Answer:
    """What the bot answered in one turn, and the shopper's cart after it."""

    messages: list[dict[str, Any]]
    cart: Callable[[], list[dict[str, Any]]]

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def products(self) -> list[dict[str, Any]]:
        return [p for m in self.messages for p in (m.get("custom") or {}).get("products", [])]


@dataclass(frozen=True)
class Failure:
    scenario: str
    turn: int
    user: str
    problems: list[str]
    answer: str


@dataclass
class Report:
    scenarios: int = 0
    passed: int = 0
    turns: int = 0
    turns_passed: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.scenarios if self.scenarios else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "scenarios": self.scenarios,
            "passed": self.passed,
            "pass_rate": round(self.pass_rate, 4),
            "turns": self.turns,
            "turns_passed": self.turns_passed,
            "failed": [f"{f.scenario} (turn {f.turn})" for f in self.failures],
        }


def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _every(field_name: str) -> Check:
    def check(answer: Answer, pattern: str) -> str | None:
        wrong = [p for p in answer.products if not _regex(pattern).search(p.get(field_name) or "")]
        if not answer.products:
            return f"no products shown (wanted every {field_name} ~ /{pattern}/)"
        return f"{field_name} not ~ /{pattern}/: {_names(wrong)}" if wrong else None

    return check


def _none(field_name: str) -> Check:
    def check(answer: Answer, pattern: str) -> str | None:
        wrong = [p for p in answer.products if _regex(pattern).search(p.get(field_name) or "")]
        return f"{field_name} ~ /{pattern}/ shown: {_names(wrong)}" if wrong else None

    return check


def _any_title(answer: Answer, pattern: str) -> str | None:
    if any(_regex(pattern).search(p.get("title") or "") for p in answer.products):
        return None
    return f"no title ~ /{pattern}/ among {_names(answer.products)}"


def _count(answer: Answer, bounds: int | dict[str, int]) -> str | None:
    low, high = (
        (bounds, None) if isinstance(bounds, int) else (bounds.get("min"), bounds.get("max"))
    )
    n = len(answer.products)
    if (low is not None and n < low) or (high is not None and n > high):
        return f"{n} products shown, wanted {bounds}"
    return None


def _price(bound: str) -> Check:
    def check(answer: Answer, limit: float) -> str | None:
        prices = [p["price"] for p in answer.products if p.get("price") is not None]
        if not prices:
            return f"no priced products shown (wanted {bound} {limit})"
        wrong = [p for p in prices if (p > limit if bound == "max_price" else p < limit)]
        return f"prices {wrong} break {bound} {limit}" if wrong else None

    return check


def _sorted(answer: Answer, order: str) -> str | None:
    prices = [p["price"] for p in answer.products if p.get("price") is not None]
    want = sorted(prices, reverse=order == "price_desc")
    return None if prices and prices == want else f"prices {prices} not in {order} order"


def _text(answer: Answer, pattern: str) -> str | None:
    return None if _regex(pattern).search(answer.text) else f"text not ~ /{pattern}/"


def _no_text(answer: Answer, pattern: str) -> str | None:
    return f"text ~ /{pattern}/" if _regex(pattern).search(answer.text) else None


def _no_apology(answer: Answer, wanted: bool) -> str | None:
    return "apologised" if wanted and APOLOGY.search(answer.text) else None


def _cart(answer: Answer, expected: dict[str, Any]) -> str | None:
    lines = answer.cart()
    problems = []
    if "items" in expected and sum(line["quantity"] for line in lines) != expected["items"]:
        problems.append(f"cart has {sum(line['quantity'] for line in lines)} items")
    if "lines" in expected and len(lines) != expected["lines"]:
        problems.append(f"cart has {len(lines)} lines")
    if (pattern := expected.get("contains")) and not any(
        _regex(pattern).search(line["title"]) for line in lines
    ):
        problems.append(f"no cart line ~ /{pattern}/")
    if not problems:
        return None
    return f"{'; '.join(problems)} (wanted {expected}): {[line['title'] for line in lines]}"


CHECKS: dict[str, Check] = {
    "products": _count,
    "title": _every("title"),
    "no_title": _none("title"),
    "any_title": _any_title,
    "brand": _every("brand"),
    "no_brand": _none("brand"),
    "max_price": _price("max_price"),
    "min_price": _price("min_price"),
    "sorted": _sorted,
    "text": _text,
    "no_text": _no_text,
    "no_apology": _no_apology,
    "cart": _cart,
}


def _names(products: Iterable[dict[str, Any]]) -> list[str]:
    return [f"{p.get('title')} ({p.get('brand')}, {p.get('price')})" for p in products][:5]


def load_scenarios(path: Path, fast_only: bool = False) -> list[dict[str, Any]]:
    """The scenarios of a file (or every ``*.yml`` of a folder), checked for unknown checks."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    scenarios = []
    for file in files:
        for scenario in yaml.safe_load(file.read_text(encoding="utf-8"))["scenarios"]:
            for turn in scenario["turns"]:
                unknown = set(turn.get("expect") or {}) - set(CHECKS)
                if unknown:
                    raise ValueError(f"{file}: {scenario['name']}: unknown checks {unknown}")
            if scenario.get("fast") or not fast_only:
                scenarios.append(scenario)
    return scenarios


def check_turn(answer: Answer, expect: dict[str, Any]) -> list[str]:
    """What is wrong with one answer (empty when every check passes)."""
    return [p for name, value in expect.items() if (p := CHECKS[name](answer, value))]


def run_scenarios(
    scenarios: list[dict[str, Any]],
    url: str,
    cart_of: Callable[[str], list[dict[str, Any]]],
    timeout: float = 60.0,
) -> Report:
    """Play every scenario through ``url``'s chat API; a scenario passes when every turn does
    (a failing turn ends its scenario: later turns would build on a wrong state)."""
    report = Report()
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for scenario in scenarios:
            sender = f"eval-{uuid.uuid4().hex[:12]}"
            report.scenarios += 1
            ok = True
            for number, turn in enumerate(scenario["turns"], start=1):
                response = client.post(
                    "/api/chat", json={"sender": sender, "message": turn["user"]}
                )
                response.raise_for_status()
                answer = Answer(response.json(), lambda s=sender: cart_of(s))
                problems = check_turn(answer, turn.get("expect") or {})
                report.turns += 1
                if problems:
                    report.failures.append(
                        Failure(scenario["name"], number, turn["user"], problems, answer.text[:300])
                    )
                    ok = False
                    break
                report.turns_passed += 1
            report.passed += ok
    return report


def store_cart(settings: Settings) -> Callable[[str], list[dict[str, Any]]]:
    """A reader of a shopper's cart lines from ``settings``' SQL and product stores (the
    stack's own when the runner shares its settings, as on one machine)."""
    from core.database import session_scope
    from retrieval.store import ProductStore
    from shop import cart

    store = ProductStore(settings)

    def read(sender: str) -> list[dict[str, Any]]:
        with session_scope(settings) as session:
            quantities = cart.quantities(session, sender)
        titles = {p.id: p.title for p in store.get(list(quantities))}
        return [{"title": titles.get(i, i), "quantity": q} for i, q in quantities.items()]

    return read
