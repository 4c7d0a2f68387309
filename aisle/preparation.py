"""What ``aisle up`` prepares before starting the servers, each step skipped when done.

Each step runs as its own ``aisle`` sub-process: the supervisor itself never opens the embedded
Chroma store or loads models, so the servers it starts are their only users.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from aisle.stack import settings_env
from core.settings import REPO_ROOT, Settings


def _run_cli(settings: Settings, *args: str, capture: bool = False) -> str:
    """Run ``aisle ARGS`` with the settings; its standard output when ``capture``."""
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
    _run_cli(settings, *_ingest_args(settings))
    marker.write_text(json.dumps(wanted))


def _ingest_args(settings: Settings) -> list[str]:
    args = ["catalog", "ingest", settings.catalog, "--prune"]
    return args + (["--limit", str(settings.catalog_limit)] if settings.catalog_limit else [])


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
    """Train the served models whose artifacts are missing (slow on a CPU the first time,
    docs/models.md; later runs skip this at once)."""
    _run_cli(settings, "train", "missing")


def train_in_background(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Start ``aisle train missing`` in the background (:func:`in_background`, logging to
    ``training.log``); None when nothing is missing. The caller stops it (:func:`stop_training`)
    and uses each model when the process ends."""
    from aisle.cli.train import missing_models

    if not missing_models(settings):
        return None
    return in_background(settings, "training.log", "train", "missing")


def ingest_in_background(settings: Settings) -> subprocess.Popen[bytes]:
    """Start ingesting the configured catalogue again (:func:`in_background`, logging to
    ``ingest.log``), as :func:`ensure_catalog` would."""
    return in_background(settings, "ingest.log", *_ingest_args(settings))


def in_background(settings: Settings, log_name: str, *args: str) -> subprocess.Popen[bytes]:
    """Start ``aisle ARGS`` in its own process group at low priority, logging to
    ``<logs_dir>/<log_name>``; stop it with :func:`stop_training`."""
    settings.logs_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **settings_env(settings), "HF_HUB_OFFLINE": "1"}
    with (settings.logs_dir / log_name).open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "aisle.cli", *args],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: os.nice(10),
        )


def stop_training(process: subprocess.Popen[bytes] | None, grace_s: float = 10.0) -> None:
    """Stop a background training (its checkpoint lets the next run resume) or ingest."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
