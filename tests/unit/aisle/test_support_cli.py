"""``aisle support add-agent`` and ``aisle shopper export|delete``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aisle.cli import app
from core.database import session_scope
from core.settings import get_settings
from support.accounts import authenticate
from support.conversations import Conversation, Exchange, record_exchange
from support.rasa_tracker import RasaTrackers, RasaUnavailable


@pytest.fixture()
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AISLE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("AISLE_RASA_PORT", "9")  # nothing listens there
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_add_agent_reads_the_password_from_stdin(state: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["support", "add-agent", "Ann@Shop.test", "--admin", "--password-stdin"],
        "s3cret-pass\n",
    )
    assert result.exit_code == 0 and "ann@shop.test: admin" in result.output
    with session_scope(get_settings()) as session:
        assert authenticate(session, "ann@shop.test", "s3cret-pass") is not None
        assert authenticate(session, "ann@shop.test", "s3cret-pass\n") is None
    short = runner.invoke(
        app, ["support", "add-agent", "b@shop.test", "--password-stdin"], "short\n"
    )
    assert short.exit_code == 2


def down(*_args: Any, **_kw: Any) -> Any:
    raise RasaUnavailable("Rasa is not running")


def test_export_and_delete(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(get_settings()) as session:
        record_exchange(session, Exchange("web-ann", "show me tea", {}, []), 0.5)
    runner = CliRunner()
    assert runner.invoke(app, ["shopper", "delete", "web-ann"]).exit_code == 2  # no --yes

    def rasa(self: RasaTrackers, method: str, sender_id: str, path: str = "", **kw: Any) -> Any:
        return {"events": []}

    monkeypatch.setattr(RasaTrackers, "_call", rasa)
    exported = json.loads(runner.invoke(app, ["shopper", "export", "web-ann"]).output)
    assert exported["transcript"][0]["text"] == "show me tea"
    monkeypatch.setattr(RasaTrackers, "_call", down)  # its SQL tracker store is erased anyway
    deleted = runner.invoke(app, ["shopper", "delete", "web-ann", "--yes"])
    assert deleted.exit_code == 0 and "rasa sql tracker store: 0 events" in deleted.output
    with session_scope(get_settings()) as session:
        assert session.get(Conversation, "web-ann") is None
