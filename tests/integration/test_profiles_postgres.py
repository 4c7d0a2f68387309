"""The profile store tests again, on a throw-away PostgreSQL cluster (initdb + pg_ctl).

Needs Debian's postgresql (``make services`` installs it). PostgreSQL refuses to run as root, so
under root the cluster runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from aisle.settings import Settings
from profiles.store import ProfileStore
from shop.database import Base, get_engine
from tests.integration.conftest import free_port
from tests.unit.profiles import test_store

pytestmark = pytest.mark.integration

# Collect the SQLite store tests here too; the fixture below gives them PostgreSQL.
globals().update({n: f for n, f in vars(test_store).items() if n.startswith("test_")})


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    assert found, "PostgreSQL is not installed: run `make services`"
    return Path(found[-1]).parent


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    bin_dir, port = _pg_bin(), free_port()
    folder = Path(tempfile.mkdtemp(prefix="aisle-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "aisle", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(folder / "log"),
        "start",
    )
    try:
        yield f"postgresql+psycopg://aisle@127.0.0.1:{port}/postgres"
    finally:
        get_engine(f"postgresql+psycopg://aisle@127.0.0.1:{port}/postgres").dispose()
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


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
