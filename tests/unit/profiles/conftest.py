"""A throw-away SQLite profile store and small product fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisle.settings import Settings
from profiles.store import ProfileStore
from retrieval.schema import Product


@pytest.fixture()
def profile_settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def profile_store(profile_settings: Settings) -> ProfileStore:
    return ProfileStore(profile_settings)


def product(pid: str, brand: str = "", category: tuple[str, ...] = (), **fields) -> Product:
    return Product(id=pid, title=f"Product {pid}", brand=brand, category=category, **fields)
