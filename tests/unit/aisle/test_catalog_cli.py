"""`aisle catalog ...` and `aisle search` end to end on a generated catalogue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aisle.cli import app
from core.settings import get_settings
from tests.helpers.catalogues import write_catalogue


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AISLE_STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_ingest_search_update_remove(state: Path) -> None:
    runner = CliRunner()
    source = write_catalogue(state / "c.csv", 30)
    result = runner.invoke(app, ["catalog", "ingest", str(source), "--limit", "25"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["ingested"] == 25

    result = runner.invoke(
        app,
        [
            "search",
            "rice",
            "--max-price",
            "200",
            "--category",
            "Rice & Rice Products",
            "-k",
            "3",
            "--json",
        ],
    )
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and 0 < len(hits) <= 3
    assert all(h["product"]["price"] <= 200 and "Rice" in h["product"]["title"] for h in hits)

    result = runner.invoke(app, ["catalog", "update", "bb-3", "price=12.5", "category=Tea > Green"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["category"] == ["Tea", "Green"]
    assert runner.invoke(app, ["catalog", "update", "bb-3", "price=-1"]).exit_code == 2
    result = runner.invoke(app, ["catalog", "remove", "bb-3", "bb-999"])
    assert json.loads(result.stdout) == {"removed": 1}


def test_refused_source_exits_with_a_message(state: Path) -> None:
    junk = state / "notes.txt"
    junk.write_text("just some notes\n")
    result = CliRunner().invoke(app, ["catalog", "ingest", str(junk)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())  # rich wraps long paths at the terminal width
    assert "not a known catalogue" in output and "was not changed" in output
