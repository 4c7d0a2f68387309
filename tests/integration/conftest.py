"""Fixtures that start Aisle's real servers on free ports over a small catalogue slice."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aisle.bot_model import ensure_model
from aisle.preparation import ensure_catalog, ensure_orders
from aisle.stack import Stack, settings_env
from core.database import get_engine
from core.settings import Settings
from tests.helpers.servers import free_port, redis_cli

# The first rows of the default catalogue: enough shampoo, tea and snacks for conversations.
CATALOG_SLICE = 3000
# Search hits the stack re-orders with the (quick-trained) ranker, so the ranker path runs.
RERANK_CANDIDATES = 20


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        state_dir=tmp_path_factory.mktemp("state"),
        catalog_limit=CATALOG_SLICE,
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        rerank_candidates=RERANK_CANDIDATES,
    )


@pytest.fixture(scope="session")
def trained_models(stack_settings: Settings) -> Settings:
    """Tiny ranker and sentiment models (``aisle train missing --quick``) in the stack's state
    folder, so production's model paths run in the tests (their quality is not the point)."""
    done = subprocess.run(
        [sys.executable, "-m", "aisle.cli", "train", "missing", "--quick"],
        env=os.environ | settings_env(stack_settings) | {"HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return stack_settings


@pytest.fixture(scope="session")
def ingested(stack_settings: Settings) -> Settings:
    """The catalogue slice ingested and the demo orders seeded, as `aisle up` does, into the
    test's own state folder."""
    ensure_catalog(stack_settings)
    ensure_orders(stack_settings)
    return stack_settings


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    # Trained models are cached by content hash under var/, shared with `make run`.
    return ensure_model(Settings(_env_file=None))


@pytest.fixture(scope="session")
def stack(ingested: Settings, trained_models: Settings, rasa_model: Path) -> Iterator[Stack]:
    with Stack(ingested, rasa_model) as running:
        running.warm_up()
        yield running


@pytest.fixture()
def chat(stack: Stack):
    """Send one message through the gateway; returns the bot's messages."""

    def send(sender: str, message: str) -> list[dict]:
        response = httpx.post(
            f"{stack.settings.gateway_url}/api/chat",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    return send


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    assert found, "PostgreSQL is not installed: run `make services`"
    return Path(found[-1]).parent


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL cluster (initdb + pg_ctl) from Debian's postgresql (``make
    services``). PostgreSQL refuses to run as root, so under root it runs as ``postgres``."""
    bin_dir, port = _pg_bin(), free_port()
    folder = Path(tempfile.mkdtemp(prefix="aisle-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "aisle", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(folder / "log"),
        "start",
    )
    try:
        yield f"postgresql+psycopg://aisle@127.0.0.1:{port}/postgres"
    finally:
        get_engine(f"postgresql+psycopg://aisle@127.0.0.1:{port}/postgres").dispose()
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server (Debian's redis-server, ``make services``), nothing on disk."""
    server = shutil.which("redis-server")
    assert server, "Redis is not installed: run `make services`"
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if redis_cli(port, "ping") == "PONG":
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
