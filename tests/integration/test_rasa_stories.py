"""The bot's test stories (``bot/tests/``) pass against the trained Rasa model: ``rasa test
core`` predicts every intent and action of every story as written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from aisle.bot_model import BOT_DIR
from core.settings import Settings

pytestmark = pytest.mark.integration


def test_every_test_story_passes(rasa_model: Path, tmp_path: Path) -> None:
    stories = BOT_DIR / "tests"
    command = [str(Settings(_env_file=None).rasa_python), "-m", "rasa", "test", "core"]
    command += ["--stories", str(stories), "--model", str(rasa_model), "--out", str(tmp_path)]
    command += ["--no-plot"]
    env = os.environ | {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        command, cwd=BOT_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "- story:" not in failed, failed
    report = (tmp_path / "story_report.json").read_text()
    assert '"conversation_accuracy"' in report
