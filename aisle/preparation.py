"""What ``aisle up`` prepares before starting the servers, each step skipped when done.

Each step runs as its own ``aisle`` sub-process: the supervisor itself never opens the embedded
Chroma store or loads models, so the servers it starts are their only users.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from core.settings import REPO_ROOT, Settings


def _run_cli(settings: Settings, *args: str, capture: bool = False) -> str:
    """Run ``aisle ARGS`` with the settings; its standard output when ``capture``."""
    from aisle.stack import settings_env

    env = {**os.environ, **settings_env(settings), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "aisle.cli", *args],
        env=env,
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return done.stdout or ""


def stored_products(settings: Settings) -> int:
    """How many products the store holds, counted by a sub-process (``aisle catalog count``)."""
    printed = _run_cli(settings, "catalog", "count", capture=True).split()
    return int(printed[-1]) if printed else 0


def ensure_catalog(settings: Settings) -> None:
    """Ingest the configured catalogue unless the store already holds exactly that one: the
    marker names it, and the store is not empty (it may have been deleted since)."""
    marker = settings.state_dir / "catalog.json"
    wanted = {"catalog": settings.catalog, "limit": settings.catalog_limit}
    if marker.exists() and json.loads(marker.read_text()) == wanted and stored_products(settings):
        return
    print(f"Ingesting the {settings.catalog} catalogue into the product store…")
    args = ["catalog", "ingest", settings.catalog, "--prune"]
    if settings.catalog_limit:
        args += ["--limit", str(settings.catalog_limit)]
    _run_cli(settings, *args)
    marker.write_text(json.dumps(wanted))


def ensure_orders(settings: Settings) -> None:
    """Seed the demo orders when the orders table is empty."""
    from core.database import session_scope
    from shop.orders import count_orders

    with session_scope(settings) as session:
        if count_orders(session):
            return
    print("Creating the demo orders…")
    _run_cli(settings, "orders", "seed")


def ensure_models(settings: Settings) -> None:
    """Train the ranker and the sentiment model when their artifacts are missing (slow on a
    CPU the first time, docs/models.md; later runs skip this at once)."""
    _run_cli(settings, "train", "missing")
