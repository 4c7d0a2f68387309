"""A product store that holds nothing (deleted under the running stack) is said to be
unreachable, never answered with "I couldn't find …" as if the catalogue lacked the product."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import Constraints
from actions.search import CATALOGUE_UNAVAILABLE, present
from core.settings import Settings
from retrieval import search


def test_an_empty_store_is_unavailable_not_a_missing_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path)
    monkeypatch.setattr(search, "get_settings", lambda: settings)
    dispatcher = CollectingDispatcher()
    assert present(dispatcher, Constraints(product="green tea")) == []
    assert [m["text"] for m in dispatcher.messages] == [CATALOGUE_UNAVAILABLE]
