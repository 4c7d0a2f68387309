"""``POST /api/events`` with a stand-in catalogue and a throw-away SQLite profile store."""

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from gateway.api.routes.events import get_product_lookup
from gateway.main import create_app
from gateway.sessions import issue_token
from profiles.store import ProfileStore
from retrieval.schema import Product

SHAMPOO = Product(id="bb-1", title="Herbal Shampoo", brand="Himalaya", price=120.0)


def lookup(ids: Sequence[str]) -> list[Product]:
    return [SHAMPOO] if SHAMPOO.id in ids else []


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_product_lookup] = lambda: lookup
    with TestClient(app) as client:
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
    events = ProfileStore(settings).events("web-abc")
    assert [(e.kind, e.brand, e.price, e.source) for e in events] == [
        ("view", "Himalaya", 120.0, "widget"),
        ("click", "Himalaya", 120.0, "widget"),
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
