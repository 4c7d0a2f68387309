"""``GET /healthz`` tells the truth: products, a writable SQL store, a loaded Rasa model and
the action server at its own host."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.main import create_app
from gateway.rasa_client import RasaClient
from retrieval.store import ProductStore


class StandInRasa:
    def __init__(self, model_loaded: bool = True) -> None:
        self.model_loaded = model_loaded

    async def is_up(self) -> bool:
        return self.model_loaded


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def action_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def settings_for(tmp_path: Path, action_port: int, **overrides: object) -> Settings:
    # AISLE_HOST is a bind address (unreachable here); the action server is at its own host.
    values = {"host": "192.0.2.1", "action_host": "127.0.0.1", "action_port": action_port}
    return Settings(_env_file=None, environment="test", state_dir=tmp_path, **(values | overrides))


def add_product(settings: Settings) -> None:
    collection = ProductStore(settings).client.get_or_create_collection(
        settings.chroma_collection, embedding_function=None
    )
    collection.add(ids=["bb-1"], embeddings=[[0.1, 0.2, 0.3]])


def health(settings: Settings, rasa: StandInRasa | None = None) -> tuple[int, dict]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa or StandInRasa()
    with TestClient(app) as client:
        response = client.get("/healthz")
    return response.status_code, response.json()["checks"]


def test_all_checks_pass_with_products_a_writable_store_a_model_and_the_action_server(
    tmp_path: Path, action_port: int
):
    settings = settings_for(tmp_path, action_port)
    add_product(settings)
    assert health(settings) == (
        200,
        {
            "gateway": True,
            "rasa": True,
            "action_server": True,
            "catalogue": True,
            "sql_store": True,
        },
    )


def test_an_empty_catalogue_is_unhealthy_even_when_the_store_folder_exists(
    tmp_path: Path, action_port: int
):
    settings = settings_for(tmp_path, action_port)
    ProductStore(settings).client.get_or_create_collection(settings.chroma_collection)
    assert (settings.chroma_dir / "chroma.sqlite3").exists()
    status, checks = health(settings)
    assert status == 503 and checks["catalogue"] is False


def test_a_read_only_sql_store_is_unhealthy(tmp_path: Path, action_port: int):
    writable = settings_for(tmp_path, action_port)
    add_product(writable)
    health(writable)  # creates the tables and the file
    url = f"sqlite:///file:{tmp_path / 'aisle.db'}?mode=ro&uri=true"
    status, checks = health(settings_for(tmp_path, action_port, database_url=url))
    assert status == 503
    assert checks["sql_store"] is False and checks["catalogue"] is True


def test_rasa_without_a_model_and_a_missing_action_server_are_unhealthy(
    tmp_path: Path, action_port: int
):
    settings = settings_for(tmp_path, action_port, action_host="127.0.0.2")
    add_product(settings)
    status, checks = health(settings, StandInRasa(model_loaded=False))
    assert status == 503
    assert checks["rasa"] is False and checks["action_server"] is False


@pytest.mark.parametrize(
    ("status", "model_file", "up"),
    [(200, "m.tar.gz", True), (200, None, False), (401, "m.tar.gz", False)],
)
def test_rasa_is_up_only_with_a_model_loaded(status: int, model_file: str | None, up: bool):
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            status, json={"model_file": model_file, "num_active_training_jobs": 0}
        )

    client = RasaClient(Settings(_env_file=None, environment="test", rasa_token="the-token"))
    client._http = httpx.AsyncClient(base_url="http://rasa", transport=httpx.MockTransport(rasa))
    assert asyncio.run(client.is_up()) is up
    assert seen[0].url.path == "/status" and seen[0].url.params["token"] == "the-token"


def test_a_product_store_deleted_under_the_gateway_is_unhealthy(tmp_path: Path, action_port: int):
    settings = settings_for(tmp_path, action_port)
    add_product(settings)
    assert health(settings)[1]["catalogue"] is True
    shutil.rmtree(settings.chroma_dir)  # the open connection would still count one product
    assert health(settings)[1]["catalogue"] is False
