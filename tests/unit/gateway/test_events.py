"""``POST /api/events`` over a small real catalogue store (Chroma, ingested once per session)
and a throw-away SQLite profile store."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.main import create_app
from gateway.sessions import issue_token
from profiles.store import ProfileStore
from retrieval.search import get_product


@pytest.fixture()
def settings(shared_catalogue: tuple[Settings, Path], tmp_path: Path) -> Settings:
    """The shared catalogue store, with this test's own profile database."""
    catalogue, _ = shared_catalogue
    return catalogue.model_copy(
        update={"environment": "test", "database_url": f"sqlite:///{tmp_path / 'aisle.db'}"}
    )


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {issue_token(settings, 'web-abc')}"
        yield client


def test_views_and_clicks_are_recorded_with_the_catalogue_product(
    client: TestClient, settings: Settings
) -> None:
    body = {
        "sender": "web-abc",
        "events": [
            {"kind": "view", "product_id": "bb-1"},
            {"kind": "click", "product_id": "bb-1"},
            {"kind": "click", "product_id": "bb-404"},
        ],
    }
    response = client.post("/api/events", json=body)
    assert response.status_code == 202
    assert response.json() == {"recorded": 2, "unknown_products": ["bb-404"]}
    product = get_product("bb-1", settings)
    assert product is not None and product.price
    events = ProfileStore(settings).events("web-abc")
    assert [(e.kind, e.brand, e.price, e.source) for e in events] == [
        ("view", product.brand, product.price, "widget"),
        ("click", product.brand, product.price, "widget"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "web-abc", "events": [{"kind": "purchase", "product_id": "bb-1"}]},
        {"sender": "web-abc", "events": [{"kind": "rating", "product_id": "bb-1", "value": 9}]},
        {"sender": "<script>", "events": [{"kind": "view", "product_id": "bb-1"}]},
        {"sender": "web-abc", "events": []},
    ],
)
def test_purchases_bad_ratings_senders_and_empty_batches_are_refused(
    client: TestClient, body: dict
) -> None:
    assert client.post("/api/events", json=body).status_code == 422
