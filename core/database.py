"""Engine, sessions and the declarative ``Base`` shared by every table in the project's SQL store.

One engine per database URL and process. SQLite (the default) needs no server; any SQLAlchemy
URL (PostgreSQL in a deployment) works with the same code. Other packages define their tables on
:class:`Base` and call :func:`create_tables` (idempotent) before first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from core.settings import Settings, get_settings


class Base(DeclarativeBase):
    """Declarative base of every table in the project's SQL store."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, None for an in-memory database. With ``uri=true`` the
    database is a SQLite URI (``file:/path?mode=ro``), not a path relative to the working
    folder."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.query.get("uri") == "true":
        database = urlsplit(database).path if database.startswith("file:") else database
    return Path(database) if database and database != ":memory:" else None


@lru_cache
def get_engine(url: str) -> Engine:
    """The process's engine for ``url``; SQLite files get their folder and WAL mode."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if (path := sqlite_file(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # WAL: the action server and the gateway read and write the same file concurrently.
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


_created: dict[str, frozenset[str]] = {}  # url -> tables known to exist


def create_tables(settings: Settings | None = None) -> None:
    """Create every table registered on :class:`Base` that is missing (cheap when none is)."""
    url = (settings or get_settings()).database_url or ""
    tables = frozenset(Base.metadata.tables)
    if _created.get(url) != tables:
        try:
            Base.metadata.create_all(get_engine(url))
        except DBAPIError:  # another process (a second replica) created one at the same moment
            Base.metadata.create_all(get_engine(url))  # now it sees it and skips it
        _created[url] = tables


@lru_cache
def _sessions(url: str) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(settings: Settings | None = None) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises.

    Tables registered on :class:`Base` so far are created first when missing.
    """
    settings = settings or get_settings()
    create_tables(settings)
    with _sessions(settings.database_url or "")() as session, session.begin():
        yield session
