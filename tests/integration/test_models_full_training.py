"""Full training (slow, ~10 minutes per model on 2 cores): ``aisle train ranker|sentiment``
with their default budgets into a throw-away state folder; each model ends well above chance
on its dev split (docs/models.md has the measured figures)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings
from models.artifacts import current_folder

pytestmark = [pytest.mark.integration, pytest.mark.slow]

if not (Settings().data_dir / "home-depot-search-relevance").is_dir():
    pytest.skip("the shared data folder is not available", allow_module_level=True)


def train(state_dir: Path, model: str) -> dict:
    """Train ``model`` fully; the dev metrics it wrote next to the artifact."""
    env = os.environ | {"AISLE_STATE_DIR": str(state_dir), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "aisle.cli", "train", model],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    folder = current_folder(state_dir / "models", model)
    return json.loads((folder / "metrics.json").read_text())


def test_the_full_ranker_orders_dev_pairs_better_than_chance(tmp_path: Path) -> None:
    metrics = train(tmp_path, "ranker")
    assert not metrics["training"]["stopped_by_budget"]
    assert metrics["dev_pairwise_accuracy"] > 0.55  # random: 0.5


def test_the_full_sentiment_model_tells_polar_texts_apart(tmp_path: Path) -> None:
    metrics = train(tmp_path, "sentiment")
    binary = [
        m["binary_accuracy"]
        for m in metrics.values()
        if isinstance(m, dict) and "binary_accuracy" in m
    ]
    assert binary and sum(binary) / len(binary) > 0.65  # chance: 0.5
