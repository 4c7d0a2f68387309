"""Fixtures that start Aisle's real servers on free ports over a small catalogue slice."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aisle.bot_model import ensure_model
from aisle.preparation import ensure_catalog, ensure_orders
from aisle.settings import Settings
from aisle.stack import Stack

# The first rows of the default catalogue: enough shampoo, tea and snacks for conversations.
CATALOG_SLICE = 3000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    )


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
def stack(ingested: Settings, rasa_model: Path) -> Iterator[Stack]:
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
