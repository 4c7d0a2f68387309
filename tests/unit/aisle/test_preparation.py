import json
from pathlib import Path

import pytest

from aisle import preparation
from core.settings import Settings


@pytest.mark.parametrize(("in_store", "ingested"), [("3000\n", False), ("0\n", True)])
def test_the_catalogue_is_ingested_again_when_the_store_is_empty_despite_its_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_store: str, ingested: bool
):
    settings = Settings(_env_file=None, state_dir=tmp_path, catalog_limit=3000)
    (tmp_path / "catalog.json").write_text(json.dumps({"catalog": "bigbasket", "limit": 3000}))
    calls: list[tuple[str, ...]] = []

    def run_cli(_settings: Settings, *args: str, capture: bool = False) -> str:
        calls.append(args)
        return in_store if args == ("catalog", "count") else ""

    monkeypatch.setattr(preparation, "_run_cli", run_cli)
    preparation.ensure_catalog(settings)
    assert (("catalog", "ingest", "bigbasket", "--prune", "--limit", "3000") in calls) is ingested
