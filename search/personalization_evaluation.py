"""``aisle eval personalization`` and ``aisle profiles tune`` on Instacart order lines.

Protocol (docs/personalization.md, "Evaluation"): per user, the last order is the target and
the earlier orders are loaded as purchase events into that shopper's profile; for each target
product the query is its aisle name; its rank is its 1-based position in the top 100 results for
that query (0 if absent), once for the shopper and once for an anonymous shopper. The catalogue
is the shared Instacart product list, ingested (idempotently) into its own Chroma collection,
``personalization_collection``.

Users are split by a hash of their id: one in five is a dev user, the rest train the weights.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from core.evaluation import Plot, write_csv, write_report
from core.metrics import hit_rate_at_k, mrr
from core.settings import Settings
from profiles.features import ShopperFeatures
from profiles.instacart import (
    Order,
    catalogue_products,
    purchase_events,
    read_orders,
    shopper_id,
)
from profiles.store import NewEvent, ProfileStore
from retrieval.schema import Product
from search.pipeline import ranked_search, search_products

if TYPE_CHECKING:
    from retrieval.search import HybridSearcher

TOP = 100
REFERENCE = datetime(2017, 1, 1)  # when every target order is placed (orders carry no dates)
Split = Literal["all", "train", "dev"]
T = TypeVar("T")


def split_of(user_id: str) -> Literal["train", "dev"]:
    """A user's split, stable across runs and machines."""
    return "dev" if hashlib.sha256(user_id.encode()).digest()[0] % 5 == 0 else "train"


@dataclass(frozen=True)
class Case:
    """One target product of one user, and the profile built from that user's earlier orders."""

    user_id: str
    product_id: str
    query: str


@dataclass
class Prepared:
    """Everything one evaluation or tuning run reads: cases, profiles, the catalogue searcher."""

    settings: Settings  # pointing at the Instacart collection
    cases: list[Case]
    profiles: dict[str, ShopperFeatures]
    targets: dict[str, set[str]]

    @property
    def searcher(self) -> HybridSearcher:
        from retrieval.search import get_searcher  # heavy (torch, Chroma): on first use

        return get_searcher(self.settings)


def catalogue_settings(settings: Settings) -> Settings:
    """``settings`` with the Instacart collection instead of the store's catalogue."""
    return settings.model_copy(update={"chroma_collection": settings.personalization_collection})


def _history_and_target(orders: list[Order]) -> tuple[list[Order], Order]:
    return orders[:-1], orders[-1]


@contextmanager
def prepare(
    orders_path: Path, settings: Settings, split: Split = "all", show_progress: bool = False
) -> Iterator[Prepared]:
    """Ingest the catalogue, load each user's earlier orders into a throw-away profile store,
    and list the cases; the store is removed on exit."""
    from retrieval.ingest import ingest

    catalogue = catalogue_settings(settings)
    ingest("instacart", settings=catalogue, show_progress=show_progress)
    products = catalogue_products(settings.data_dir)
    orders = {
        user: user_orders
        for user, user_orders in read_orders(orders_path).items()
        if len(user_orders) >= 2 and split in ("all", split_of(user))
    }
    with tempfile.TemporaryDirectory(prefix="aisle-eval-") as folder:
        store = ProfileStore(
            catalogue.model_copy(update={"database_url": f"sqlite:///{folder}/profiles.db"})
        )
        store.record(
            event
            for user, user_orders in orders.items()
            for event in _history_events(user, user_orders, products)
        )
        cases, targets, profiles = [], {}, {}
        for user, user_orders in orders.items():
            _, target = _history_and_target(user_orders)
            targets[user] = set(target.product_ids)
            profiles[user] = store.features(shopper_id(user), now=REFERENCE)
            cases += [
                Case(user, pid, products[pid].category[-1])
                for pid in dict.fromkeys(target.product_ids)
                if pid in products
            ]
        store.engine.dispose()
        yield Prepared(catalogue, cases, profiles, targets)


def _history_events(
    user: str, orders: list[Order], products: dict[str, Product]
) -> Iterator[tuple[str, NewEvent]]:
    history, target = _history_and_target(orders)
    # The history's last order lies target.days_since_prior days before the target order.
    last = REFERENCE - timedelta(days=target.days_since_prior)
    return purchase_events(user, history, products, last)


def _rank(product_id: str, ranking: list[str]) -> int:
    return ranking.index(product_id) + 1 if product_id in ranking else 0


def track(items: Sequence[T], description: str, show: bool) -> Iterable[T]:
    """``items``, with a progress bar on stderr when ``show``."""
    if not show:
        return items
    from rich.console import Console
    from rich.progress import track as rich_track

    return rich_track(items, description, console=Console(stderr=True))


def rank_cases(prepared: Prepared, show_progress: bool = False) -> list[tuple[Case, int, int]]:
    """Each case with its rank for the shopper and for an anonymous shopper."""
    searcher = prepared.searcher
    searcher.prime(sorted({case.query for case in prepared.cases}))
    anonymous: dict[str, list[str]] = {}
    personal: dict[tuple[str, str], list[str]] = {}
    rows = []
    for case in track(prepared.cases, "ranking", show_progress):
        if case.query not in anonymous:
            hits = ranked_search(searcher, case.query, None, TOP, prepared.settings)
            anonymous[case.query] = [hit.product.id for hit in hits]
        key = (case.user_id, case.query)
        if key not in personal:
            hits = search_products(
                searcher,
                case.query,
                k=TOP,
                settings=prepared.settings,
                profile=prepared.profiles[case.user_id],
            )
            personal[key] = [hit.product.id for hit in hits]
        rows.append(
            (
                case,
                _rank(case.product_id, personal[key]),
                _rank(case.product_id, anonymous[case.query]),
            )
        )
    return rows


def metrics(rows: list[tuple[Case, int, int]]) -> dict[str, float | int]:
    """HR@10 and MRR with and without the profile, over every target product."""
    with_profile = [r[1] for r in rows]
    without = [r[2] for r in rows]
    hr_with, hr_without = hit_rate_at_k(with_profile, 10), hit_rate_at_k(without, 10)
    return {
        "hr@10_with_profile": round(hr_with, 4),
        "hr@10_without_profile": round(hr_without, 4),
        "hr@10_ratio": round(hr_with / hr_without, 2) if hr_without else float("inf"),
        "mrr_with_profile": round(mrr(with_profile), 4),
        "mrr_without_profile": round(mrr(without), 4),
        "users": len({r[0].user_id for r in rows}),
        "targets": len(rows),
    }


def write_predictions(rows: list[tuple[Case, int, int]], path: Path) -> None:
    """One CSV row per case, with the raw Instacart product id."""
    write_csv(
        path,
        ("user_id", "product_id", "query", "rank_with_profile", "rank_without_profile"),
        [
            (case.user_id, case.product_id.removeprefix("ic-"), case.query, personal, anonymous)
            for case, personal, anonymous in rows
        ],
    )


def hit_rate_plot(rows: list[tuple[Case, int, int]], title: str) -> Plot:
    """Hit rate against k (1 to TOP, log scale) with and without the profile."""
    ks = list(range(1, TOP + 1))
    ranks = {"with profile": [r[1] for r in rows], "anonymous": [r[2] for r in rows]}
    lines = {label: (ks, [hit_rate_at_k(of, k) for k in ks]) for label, of in ranks.items()}
    return Plot(
        title,
        lines=lines,
        guides=[([10, 10], [0, 1])],
        xlabel="k",
        ylabel="hit rate @ k",
        xscale="log",
        ylim=(0, 1),
        size=(6, 4),
    )


def evaluate(
    orders_path: Path,
    predictions: Path,
    settings: Settings,
    split: Split = "all",
    show_progress: bool = False,
) -> dict[str, float | int]:
    """Run the protocol, write predictions and the report; return the metrics."""
    with prepare(orders_path, settings, split, show_progress) as prepared:
        rows = rank_cases(prepared, show_progress)
    scores = metrics(rows)
    write_predictions(rows, predictions)
    title = f"Personalisation, {orders_path.name} ({split} users)"
    write_report(
        predictions.with_suffix(""), title, scores, hit_rate_plot(rows, title), predictions
    )
    return scores


def to_json(scores: dict[str, float | int]) -> str:
    return json.dumps(scores, separators=(",", ":"))
