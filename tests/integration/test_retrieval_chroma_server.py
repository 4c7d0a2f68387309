"""The product store against a real Chroma server (`chroma run`), as deployments configure it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from retrieval.ingest import ingest, update_product
from retrieval.schema import Filters
from retrieval.search import HybridSearcher, get_products
from retrieval.store import ProductStore
from tests.helpers.catalogues import write_catalogue

pytestmark = pytest.mark.integration
CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(data / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"chroma run did not start: {(data / 'server.log').read_text()[-2000:]}"
                )
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_ingest_search_update_and_prune_through_a_chroma_server(
    chroma_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        _env_file=None, state_dir=tmp_path / "state", chroma_url=chroma_url, hnsw_ef_search=150
    )
    source = write_catalogue(tmp_path / "c.csv", 60)
    report = ingest(str(source), settings=settings)
    assert (report.added, report.total) == (60, 60)
    assert not (tmp_path / "state" / "chroma").exists()  # nothing embedded on local disk

    store = ProductStore(settings)
    assert store.collection.configuration_json["hnsw"]["ef_search"] == 150
    searcher = HybridSearcher(store)
    filters = Filters(max_price=150, category="beverages")
    hits = searcher.search("green tea", filters, k=5)
    assert hits and all(filters.accepts(h.product) for h in hits)
    assert "tea" in hits[0].product.title.lower()

    update_product("bb-7", {"price": 1.25, "title": "Saffron Strands"}, settings)
    assert [p.price for p in get_products(["bb-7"], settings)] == [1.25]
    assert searcher.search("saffron", Filters(max_price=2), k=1)[0].product.id == "bb-7"

    again = ingest(str(write_catalogue(tmp_path / "small.csv", 50)), settings=settings, prune=True)
    assert (again.pruned, again.total, again.updated) == (10, 50, 1)  # bb-7 restored from source
