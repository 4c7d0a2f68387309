"""The profile store tests again, on a throw-away PostgreSQL cluster (``postgres_url`` in
conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.database import Base, get_engine
from core.settings import Settings
from profiles.store import ProfileStore
from tests.unit.profiles import test_store

pytestmark = pytest.mark.integration

# Collect the SQLite store tests here too; the fixture below gives them PostgreSQL.
globals().update({n: f for n, f in vars(test_store).items() if n.startswith("test_")})


@pytest.fixture()
def profile_store(postgres_url: str, tmp_path: Path) -> ProfileStore:
    engine = get_engine(postgres_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    settings = Settings(
        _env_file=None, environment="test", state_dir=tmp_path, database_url=postgres_url
    )
    store = ProfileStore(settings)
    assert store.engine.dialect.name == "postgresql"
    return store
