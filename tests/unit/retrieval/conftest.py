"""Throw-away catalogue stores, so no test touches var/ or the shared data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import Settings


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings whose state (the Chroma store) lives under the test's tmp folder."""

    def make(name: str = "state", **overrides: object) -> Settings:
        return Settings(
            _env_file=None, state_dir=tmp_path / name, data_dir=tmp_path / "data", **overrides
        )

    return make
