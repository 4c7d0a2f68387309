"""Fixtures shared by the unit tests of several packages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.settings import Settings
from profiles.store import ProfileStore
from retrieval.ingest import ingest
from tests.helpers.catalogues import write_catalogue

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the encoder is read from the local cache only


@pytest.fixture()
def profile_settings(tmp_path: Path) -> Settings:
    """Settings for a throw-away state folder (its own SQLite store)."""
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def profile_store(profile_settings: Settings) -> ProfileStore:
    return ProfileStore(profile_settings)


@pytest.fixture(scope="session")
def shared_catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A 300-product store ingested once per session; tests must not change it."""
    root = tmp_path_factory.mktemp("shared-store")
    source = write_catalogue(root / "catalogue.csv", 300)
    settings = Settings(_env_file=None, state_dir=root / "state", data_dir=root / "data")
    ingest(str(source), settings=settings)
    return settings, source
