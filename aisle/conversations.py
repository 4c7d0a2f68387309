"""``aisle eval conversations``: scripted multi-turn shopper conversations against a running
stack, through the gateway's chat API, each turn checked (format: evalsets/README.md).

A scenario is a list of turns; a turn is what the shopper types and what the answer must show:
regexes on the product cards and the bot's words, brands, prices against bounds and against the
previous cards, apologies, the cart's contents. Every scenario talks as a fresh shopper (a new
session from ``POST /api/session``), so carts and slots never leak between scenarios.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from core.settings import Settings

APOLOGY = re.compile(r"\b(sorry|apologi[sz]e\w*|apologies|my (mistake|bad)|regret)\b", re.I)
CATALOGS = ("bigbasket", "myntra")
CartReader = Callable[[str], list[dict[str, Any]]]


@dataclass(frozen=True)
class Turn:
    """The bot's whole reply to one shopper message, and what came before it."""

    messages: list[dict[str, Any]]
    previous_cards: list[dict[str, Any]]
    cart: Callable[[], list[dict[str, Any]]]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [p for m in self.messages for p in (m.get("custom") or {}).get("products", [])]


@dataclass(frozen=True)
class Failure:
    file: str
    scenario: str
    turn: int
    user: str
    problems: list[str]
    text: str


@dataclass
class Report:
    scenarios: int = 0
    passed: int = 0
    skipped: int = 0
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
            "skipped": self.skipped,
            "turns": self.turns,
            "turns_passed": self.turns_passed,
            "turn_pass_rate": round(self.turns_passed / self.turns, 4) if self.turns else 0.0,
            "failed": [f"{f.file}: {f.scenario} (turn {f.turn})" for f in self.failures],
        }


def _search(pattern: str, text: str) -> bool:
    return bool(re.search(pattern, text, re.I))


def _card_text(card: dict[str, Any]) -> str:
    return f"{card.get('title') or ''} | {card.get('category') or ''}"


def _is_brand(card: dict[str, Any], brand: str) -> bool:
    """The card's brand equals ``brand`` or starts with it and a space (case-insensitive)."""
    have, want = (card.get("brand") or "").strip().casefold(), brand.strip().casefold()
    return have == want or have.startswith(want + " ")


def _names(cards: Iterable[dict[str, Any]]) -> list[str]:
    return [f"{c.get('title')} ({c.get('brand')}, {c.get('price')})" for c in cards][:4]


def _prices(cards: list[dict[str, Any]]) -> list[float]:
    return [float(c["price"]) for c in cards if c.get("price") is not None]


def check_products(turn: Turn, expect: dict[str, Any]) -> list[str]:
    """The failed ``expect.products`` checks (evalsets/README.md), each saying what was seen."""
    cards, problems = turn.cards, []
    seen = _names(cards)
    if expect.get("none") and cards:
        problems.append(f"products.none: {len(cards)} cards shown: {seen}")
    for key, ok in (
        ("min", lambda n: len(cards) >= n),
        ("max", lambda n: len(cards) <= n),
        ("count", lambda n: len(cards) == n),
    ):
        if key in expect and not ok(expect[key]):
            problems.append(f"products.{key} {expect[key]}: {len(cards)} cards {seen}")
    if (pattern := expect.get("match")) and (
        bad := [c for c in cards if not _search(pattern, _card_text(c))]
    ):
        problems.append(f"products.match /{pattern}/: {_names(bad)}")
    if (pattern := expect.get("not_match")) and (
        bad := [c for c in cards if _search(pattern, _card_text(c))]
    ):
        problems.append(f"products.not_match /{pattern}/: {_names(bad)}")
    if (brand := expect.get("brand")) and (bad := [c for c in cards if not _is_brand(c, brand)]):
        problems.append(f"products.brand {brand}: {_names(bad)}")
    if (brand := expect.get("not_brand")) and (bad := [c for c in cards if _is_brand(c, brand)]):
        problems.append(f"products.not_brand {brand}: {_names(bad)}")
    for key, outside in (("min_price", lambda p, b: p < b), ("max_price", lambda p, b: p > b)):
        if key in expect:
            bad = [
                c
                for c in cards
                if c.get("price") is None or outside(float(c["price"]), expect[key])
            ]
            if bad:
                problems.append(f"products.{key} {expect[key]}: {_names(bad)}")
    if order := expect.get("sorted"):
        prices = _prices(cards)
        if prices != sorted(prices, reverse=order == "price_desc"):
            problems.append(f"products.sorted {order}: prices {prices}")
    previous = turn.previous_cards
    same = {c["id"] for c in cards} == {c["id"] for c in previous}
    if expect.get("same_as_previous") is False and previous and same:
        problems.append(f"products.same_as_previous false: the same cards again {seen}")
    if included := expect.get("includes_previous"):
        position = included["position"]
        index = position - 1 if position > 0 else len(previous) + position
        if not 0 <= index < len(previous):
            problems.append(f"products.includes_previous: no previous card at {position}")
        elif (previous[index]["id"] in {c["id"] for c in cards}) != included.get("shown", True):
            problems.append(
                f"products.includes_previous {included}: previous {_names([previous[index]])}, "
                f"now {seen}"
            )
    if relation := expect.get("price_vs_previous"):
        before, now = _prices(previous), _prices(cards)
        ok = {
            "lower": lambda p: p < min(before),
            "lower_or_equal": lambda p: p <= min(before),
            "higher": lambda p: p > max(before),
            "higher_or_equal": lambda p: p >= max(before),
        }[relation]
        if not before:
            problems.append(f"products.price_vs_previous {relation}: no previous prices")
        elif wrong_prices := [p for p in now if not ok(p)]:
            problems.append(
                f"products.price_vs_previous {relation}: {wrong_prices} vs previous "
                f"{min(before)}–{max(before)}"
            )
    return problems


def _amounts(total: float) -> list[str]:
    """A total as it may be written: 1234, 1,234, 1234.00, 1,234.50."""
    forms = {f"{total:.2f}", f"{total:,.2f}"}
    if float(total).is_integer():
        forms |= {f"{total:.0f}", f"{total:,.0f}"}
    return sorted(forms)


def check_cart(turn: Turn, expect: dict[str, Any]) -> list[str]:
    """The failed ``expect.cart`` checks, each saying what the cart holds."""
    lines, problems = turn.cart(), []
    held = [f"{line['quantity']} × {line['title']}" for line in lines]
    if "count" in expect and len(lines) != expect["count"]:
        problems.append(f"cart.count {expect['count']}: {held}")
    if "units" in expect and sum(line["quantity"] for line in lines) != expect["units"]:
        problems.append(f"cart.units {expect['units']}: {held}")
    if (pattern := expect.get("match")) and not all(
        _search(pattern, line["title"]) for line in lines
    ):
        problems.append(f"cart.match /{pattern}/: {held}")
    if (pattern := expect.get("contains")) and not any(
        _search(pattern, line["title"]) for line in lines
    ):
        problems.append(f"cart.contains /{pattern}/: {held}")
    if quantity := expect.get("quantity"):
        found = [line["quantity"] for line in lines if _search(quantity["match"], line["title"])]
        if found != [quantity["equals"]]:
            problems.append(f"cart.quantity {quantity}: {held}")
    if expect.get("total_in_text"):
        total = round(sum((line["price"] or 0) * line["quantity"] for line in lines), 2)
        pattern = "|".join(rf"(?<![\d,.]){re.escape(a)}(?![\d]|[.,]\d)" for a in _amounts(total))
        if not re.search(pattern, turn.text):
            problems.append(f"cart.total_in_text: {total} not in the text")
    return problems


def check_turn(turn: Turn, spec: dict[str, Any]) -> list[str]:
    """Every failed check of one turn (empty when the turn passes)."""
    expect = spec.get("expect") or {}
    problems = check_products(turn, expect.get("products") or {})
    if "cart" in expect:
        problems += check_cart(turn, expect["cart"])
    if (pattern := expect.get("text")) and not _search(pattern, turn.text):
        problems.append(f"text /{pattern}/ missing")
    if (pattern := expect.get("not_text")) and _search(pattern, turn.text):
        problems.append(f"not_text /{pattern}/ found")
    apology = spec.get("apology", False)
    if apology != "any" and bool(APOLOGY.search(turn.text)) != bool(apology):
        problems.append("apologised" if not apology else "no apology")
    return problems


def load_scenarios(path: Path, fast_only: bool = False) -> list[dict[str, Any]]:
    """The scenarios of a file (or of every ``*.yml`` in a folder), each with its ``file`` and
    ``catalog`` filled in; only the ``fast: true`` ones when ``fast_only``."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    scenarios = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            if scenario.get("fast") or not fast_only:
                catalog = scenario.get("catalog") or data.get("catalog") or "bigbasket"
                scenarios.append(scenario | {"file": file.name, "catalog": catalog})
    return scenarios


def run_scenarios(
    scenarios: list[dict[str, Any]],
    url: str,
    cart_of: CartReader,
    catalog: str = "bigbasket",
    timeout: float = 60.0,
) -> Report:
    """Play every scenario of ``catalog`` through ``url``'s chat API (others are skipped); a
    scenario passes when every turn does (a failing turn ends it: later turns would build on a
    wrong state)."""
    report = Report()
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for scenario in scenarios:
            if scenario["catalog"] != catalog:
                report.skipped += 1
                continue
            session = client.post("/api/session")  # a fresh shopper, as the widget starts one
            session.raise_for_status()
            sender = session.json()["sender_id"]
            auth = {"Authorization": f"Bearer {session.json()['token']}"}
            report.scenarios += 1
            previous: list[dict[str, Any]] = []
            for number, spec in enumerate(scenario["turns"], start=1):
                reply = client.post("/api/chat", json={"message": spec["user"]}, headers=auth)
                reply.raise_for_status()
                turn = Turn(reply.json(), previous, functools.partial(cart_of, sender))
                problems = check_turn(turn, spec)
                report.turns += 1
                if problems:
                    report.failures.append(
                        Failure(
                            scenario["file"],
                            scenario["name"],
                            number,
                            spec["user"],
                            problems,
                            turn.text[:300],
                        )
                    )
                    break
                report.turns_passed += 1
                previous = turn.cards or previous
            else:
                report.passed += 1
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
        products = {p.id: p for p in store.get(list(quantities))}
        return [
            {
                "title": products[i].title if i in products else i,
                "price": products[i].price if i in products else None,
                "quantity": q,
            }
            for i, q in quantities.items()
        ]

    return read
