"""Rasa's ``endpoints.yml`` for one Aisle instance: the project's file plus the tracker and lock
stores named by the settings.

Rasa's SQL tracker store is always on, so a restarted (or killed) Rasa loses no conversation:
on PostgreSQL when ``tracker_store_url`` is set, else on SQLite in the state folder
(``rasa-trackers.db``), which suits one machine.

Rasa reads its stores only from the endpoints file, whose keys (host, port, db, password…)
differ per store type; one URL per store in the settings is easier to deploy, so this module
translates. The file holds passwords, so it is written readable by its owner only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from core.settings import REPO_ROOT, Settings

PROJECT_ENDPOINTS = REPO_ROOT / "bot" / "endpoints.yml"


class StoreURLError(ValueError):
    """A tracker or lock store URL Rasa cannot use."""


def tracker_store(url: str) -> dict[str, Any]:
    """Rasa's SQL tracker store section for a PostgreSQL URL."""
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise StoreURLError(f"tracker_store_url must be a postgresql:// URL, not {url!r}")
    if not parts.hostname or not parts.path.strip("/"):
        raise StoreURLError("tracker_store_url needs a host and a database name")
    return {
        "type": "SQL",
        "dialect": "postgresql",  # Rasa's SQLAlchemy 1.4 with psycopg2, whatever the URL names
        "url": parts.hostname,
        "port": parts.port or 5432,
        "db": unquote(parts.path.strip("/")),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
    }


def lock_store(url: str) -> dict[str, Any]:
    """Rasa's Redis lock store section for a Redis URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise StoreURLError(f"lock_store_url must be a redis:// URL with a host, not {url!r}")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise StoreURLError(f"the Redis database in lock_store_url must be a number, not {db!r}")
    return {
        "type": "redis",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(db),
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
        "key_prefix": "aisle",
    }


def sqlite_tracker_store(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store section for the state folder's SQLite file."""
    return {"type": "SQL", "dialect": "sqlite", "db": str(settings.rasa_trackers_path)}


def endpoints_path(settings: Settings) -> Path:
    """Where the instance's endpoints file lives (under the state folder)."""
    return settings.state_dir / "rasa" / "endpoints.yml"


def store_sections(settings: Settings) -> dict[str, dict[str, Any]]:
    """The endpoints file's store sections for the settings; StoreURLError for a bad URL."""
    sections = {
        "tracker_store": tracker_store(settings.tracker_store_url)
        if settings.tracker_store_url
        else sqlite_tracker_store(settings)
    }
    if settings.lock_store_url:
        sections["lock_store"] = lock_store(settings.lock_store_url)
    return sections


def write_endpoints(settings: Settings) -> Path:
    """Write the instance's endpoints file and return its path."""
    endpoints = yaml.safe_load(PROJECT_ENDPOINTS.read_text()) | store_sections(settings)
    endpoints["action_endpoint"]["url"] = settings.action_url
    path = endpoints_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path
