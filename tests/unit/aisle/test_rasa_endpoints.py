import stat
from pathlib import Path

import pytest
import yaml

from aisle.rasa_endpoints import StoreURLError, lock_store, tracker_store, write_endpoints
from core.settings import Settings


def settings(tmp_path: Path, **values) -> Settings:
    return Settings(_env_file=None, state_dir=tmp_path, **values)


def test_without_store_urls_conversations_go_to_sqlite_in_the_state_folder(tmp_path: Path):
    path = write_endpoints(settings(tmp_path, action_port=6123))
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints == {
        "action_endpoint": {"url": "http://127.0.0.1:6123/webhook"},
        "tracker_store": {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(tmp_path / "rasa-trackers.db"),
        },
    }


def test_store_urls_become_rasa_store_sections_in_an_owner_only_file(tmp_path: Path):
    path = write_endpoints(
        settings(
            tmp_path,
            tracker_store_url="postgresql+psycopg://shop:p%40ss@db.internal:5433/aisle",
            lock_store_url="redis://:secret@cache.internal:6380/2",
        )
    )
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "aisle",
        "username": "shop",
        "password": "p@ss",
    }
    assert endpoints["lock_store"] == {
        "type": "redis",
        "url": "cache.internal",
        "port": 6380,
        "db": 2,
        "password": "secret",
        "use_ssl": False,
        "key_prefix": "aisle",
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_ports_and_database():
    assert tracker_store("postgresql://a@h/d")["port"] == 5432
    assert lock_store("redis://h")["port"] == 6379 and lock_store("redis://h")["db"] == 0
    assert lock_store("rediss://h")["use_ssl"] is True


@pytest.mark.parametrize(
    "check, url",
    [
        (tracker_store, "mysql://a@h/d"),
        (tracker_store, "postgresql://h"),
        (lock_store, "http://h:6379"),
        (lock_store, "redis://h/cache"),
    ],
)
def test_unusable_urls_are_refused_with_the_setting_named(check, url):
    with pytest.raises(StoreURLError, match="_url"):
        check(url)


def test_aisle_prepare_stops_on_an_unusable_store_url_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from typer.testing import CliRunner

    from aisle.cli import app
    from core.settings import get_settings

    monkeypatch.setenv("AISLE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("AISLE_LOCK_STORE_URL", "http://cache:6379")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["prepare"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "lock_store_url must be a redis:// URL" in result.output
    assert not (tmp_path / "chroma").exists()  # nothing was ingested
