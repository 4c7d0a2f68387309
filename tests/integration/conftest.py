"""Fixtures that start Aisle's real servers on free ports over a small catalogue slice."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from aisle.bot_model import ensure_model
from aisle.preparation import ensure_catalog, ensure_orders
from aisle.stack import Stack, settings_env
from core.database import get_engine
from core.settings import Settings
from gateway.sessions import issue_token
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.servers import free_port, redis_cli

# The first rows of the default catalogue: enough shampoo, tea and snacks for conversations.
CATALOG_SLICE = 3000
# Search hits the stack re-orders with the (quick-trained) ranker, so the ranker path runs.
RERANK_CANDIDATES = 20


class PlatformStandIn(ThreadingHTTPServer):
    """A loopback stand-in for the messaging platforms' APIs: records every call (path,
    headers, JSON body) and answers ``{"ok": true}``; ``fail_next`` calls answer 500 first."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StandInHandler)
        self.calls: list[dict] = []
        self.fail_next = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_for(self, predicate, count: int = 1, timeout: float = 60.0) -> list[dict]:
        """The recorded calls matching ``predicate`` once there are ``count`` of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [c for c in self.calls if predicate(c)]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{len(found)} matching calls after {timeout}s: {self.calls[-5:]}")


class _StandInHandler(BaseHTTPRequestHandler):
    server: PlatformStandIn

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            failing = self.server.fail_next > 0
            self.server.fail_next -= failing
            self.server.calls.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "json": json.loads(raw or b"null"),
                    "failed": failing,
                }
            )
        body = b'{"ok": false}' if failing else b'{"ok": true, "result": {}}'
        self.send_response(500 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def platforms() -> Iterator[PlatformStandIn]:
    """The stand-in for Telegram, Slack, Messenger and WhatsApp that the stack's channels call."""
    server = PlatformStandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# Channel secrets of the test stack (test_channels.py signs its payloads with them).
CHANNEL_SECRETS = {
    "telegram_bot_token": "123456:TEST-telegram-token",
    "telegram_secret_token": "telegram-secret-token-0123456789",
    "slack_signing_secret": "slack-signing-secret-0123456789ab",
    "slack_bot_token": "xoxb-test-token",
    "messenger_verify_token": "messenger-verify-token",
    "messenger_app_secret": "messenger-app-secret-0123456789ab",
    "messenger_page_token": "messenger-page-token",
    "whatsapp_verify_token": "whatsapp-verify-token",
    "whatsapp_app_secret": "whatsapp-app-secret-0123456789abc",
    "whatsapp_access_token": "whatsapp-access-token",
    "whatsapp_phone_number_id": "106540352242922",
}


@pytest.fixture(scope="session")
def embedding_origin() -> str:
    """Another origin (a port of its own) whose page embeds the widget: test_widget_browser.py."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def stack_settings(
    tmp_path_factory: pytest.TempPathFactory, platforms: PlatformStandIn, embedding_origin: str
) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        state_dir=tmp_path_factory.mktemp("state"),
        catalog_limit=CATALOG_SLICE,
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        allowed_origins=embedding_origin,
        **CHANNEL_SECRETS,
        **{f"{p}_api_url": platforms.url for p in ("telegram", "slack", "messenger", "whatsapp")},
        rerank_candidates=RERANK_CANDIDATES,
    )


@pytest.fixture(scope="session")
def trained_models(stack_settings: Settings) -> Settings:
    """Tiny sentiment and cross-encoder ranker models (``aisle train … --quick``) in the stack's
    state folder, so production's model paths run in the tests (their quality is not the
    point)."""
    # `train missing` trains what the servers use (the sentiment model); the cross-encoder
    # ranker is no longer served but is still trained, exported and evaluated by the CLI.
    for model in ("missing", "ranker"):
        done = subprocess.run(
            [sys.executable, "-m", "aisle.cli", "train", model, "--quick"],
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
    """Send one message through the gateway as shopper ``sender``; returns the bot's messages.

    The session token is signed here with the stack's secret (as a store's backend may do for
    its logged-in customers), so tests can name their shoppers; test_channels.py and
    test_widget_browser.py start sessions through ``POST /api/session`` instead."""

    def send(sender: str, message: str) -> list[dict]:
        response = httpx.post(
            f"{stack.settings.gateway_url}/api/chat",
            json={"message": message},
            headers={"Authorization": f"Bearer {issue_token(stack.settings, sender)}"},
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


@pytest.fixture()
def browser():
    """Headless Debian Chromium driven by Playwright (browsers are not downloaded here)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make browser` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
