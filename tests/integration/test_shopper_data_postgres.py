"""The shopper data tests again, on a throw-away PostgreSQL cluster; and Rasa's SQL tracker
store's rows of a shopper erased (``postgres_url`` in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from core.database import Base, get_engine
from core.settings import Settings
from support.rasa_tracker import RasaTrackers
from tests.unit.support import test_shopper_data

pytestmark = pytest.mark.integration

globals().update({n: f for n, f in vars(test_shopper_data).items() if n.startswith("test_")})
stored = test_shopper_data.stored


@pytest.fixture()
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    engine = get_engine(postgres_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    assert engine.dialect.name == "postgresql"
    return Settings(
        _env_file=None, environment="test", state_dir=tmp_path, database_url=postgres_url
    )


def test_rasa_sql_tracker_rows_are_erased(postgres_url: str, tmp_path: Path) -> None:
    with get_engine(postgres_url).begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS events"))
        connection.execute(text("CREATE TABLE events (id serial, sender_id text, data text)"))
        connection.execute(
            text(
                "INSERT INTO events (sender_id, data) "
                "VALUES ('ann', 'a'), ('ann', 'b'), ('bob', 'c')"
            )
        )
    settings = Settings(
        _env_file=None,
        environment="test",
        state_dir=tmp_path,
        tracker_store_url=postgres_url.replace("+psycopg", ""),
        rasa_port=9,  # nothing listens: the SQL store alone holds the trackers
    )
    done = RasaTrackers(settings, timeout_s=1).erase("ann")
    assert done[0] == "rasa sql tracker store: 2 events"
    with get_engine(postgres_url).connect() as connection:
        rows = connection.execute(text("SELECT sender_id FROM events")).scalars().all()
    assert rows == ["bob"]


def test_rasa_sqlite_tracker_rows_are_erased_without_rasa(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path, rasa_port=9)
    assert RasaTrackers(settings, timeout_s=1).erase("ann")[0] == (
        "rasa sql tracker store: 0 events"  # Rasa never started: no table yet
    )
    with get_engine(settings.rasa_trackers_db_url).begin() as connection:
        connection.execute(text("CREATE TABLE events (sender_id text, data text)"))
        connection.execute(text("INSERT INTO events VALUES ('ann', 'a'), ('bob', 'c')"))
    assert RasaTrackers(settings, timeout_s=1).erase("ann")[0] == (
        "rasa sql tracker store: 1 events"
    )
    with get_engine(settings.rasa_trackers_db_url).connect() as connection:
        assert connection.execute(text("SELECT sender_id FROM events")).scalars().all() == ["bob"]
