"""Fixtures shared by the unit tests of several packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from profiles.store import ProfileStore


@pytest.fixture()
def profile_settings(tmp_path: Path) -> Settings:
    """Settings for a throw-away state folder (its own SQLite store)."""
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def profile_store(profile_settings: Settings) -> ProfileStore:
    return ProfileStore(profile_settings)
