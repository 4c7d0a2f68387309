"""Running a snippet inside the Rasa environment (Python 3.10), where the bot's components live."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from core.settings import REPO_ROOT, Settings

RASA_PYTHON = Settings(_env_file=None).rasa_python
needs_rasa_env = pytest.mark.skipif(not RASA_PYTHON.exists(), reason="no .venv-rasa")


def run_in_rasa_env(script: str, *args: str) -> tuple[object, str]:
    """Run ``script`` with ``.venv-rasa``'s Python in ``bot/``; (its last stdout line as JSON,
    its stderr)."""
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", script, *args],
        cwd=REPO_ROOT / "bot",
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr
