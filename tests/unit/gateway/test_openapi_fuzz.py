"""Schemathesis over the gateway's OpenAPI schema: generated requests to every operation, with
no credentials, a shopper's session and the support token, never get a server error (5xx)
other than one the operation documents (``/healthz``'s 503 when a dependency is down).

Rasa is stood in for (tests/unit/gateway/test_limits.py); everything else is the real app on a
fresh SQL store."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.settings import Settings
from gateway.api.deps import get_rasa
from gateway.main import create_app
from gateway.sessions import issue_token
from tests.unit.gateway.test_limits import RasaLike


class AnyRasa(RasaLike):
    """Answers every message and says it is up."""

    async def is_up(self) -> bool:
        return True


# The schema is read at collection time, so the app is built then, on a temporary state folder.
STATE = Path(tempfile.mkdtemp(prefix="aisle-fuzz-"))
SETTINGS = Settings(
    _env_file=None,
    environment="test",
    state_dir=STATE,
    rate_limit_per_address=100_000,
    rate_limit_per_session=100_000,
)
APP = create_app(SETTINGS)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def app() -> Iterator[FastAPI]:
    APP.dependency_overrides[get_rasa] = lambda: AnyRasa(SETTINGS)
    with TestClient(APP):  # runs the lifespan once: the app's state for every generated call
        yield APP
    shutil.rmtree(STATE, ignore_errors=True)


@schema.parametrize()
@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case, app: FastAPI) -> None:
    settings = app.state.settings
    for token in (None, issue_token(settings, "web-fuzz"), settings.support_token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(headers={**(case.headers or {}), **headers})
        documented = case.operation.definition.raw.get("responses", {})
        assert response.status_code < 500 or str(response.status_code) in documented, (
            case.method,
            case.path,
            response.status_code,
            response.text[:300],
        )
