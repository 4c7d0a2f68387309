"""Throw-away catalogue stores over generated catalogues, so no test touches var/ or the shared
data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import Settings
from retrieval.ingest import ingest
from tests.helpers.catalogues import write_catalogue

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings whose state (the Chroma store) lives under the test's tmp folder."""

    def make(name: str = "state", **overrides: object) -> Settings:
        return Settings(
            _env_file=None, state_dir=tmp_path / name, data_dir=tmp_path / "data", **overrides
        )

    return make


@pytest.fixture(scope="session")
def shared_catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A 300-product store ingested once per session; tests must not change it."""
    root = tmp_path_factory.mktemp("shared-store")
    source = write_catalogue(root / "catalogue.csv", 300)
    settings = Settings(_env_file=None, state_dir=root / "state", data_dir=root / "data")
    ingest(str(source), settings=settings)
    return settings, source
