"""`aisle up` serves first and trains the missing served models in the background."""

from __future__ import annotations

import subprocess
import sys
import time

from aisle import preparation
from aisle.cli.train import missing_models
from core.settings import Settings


def test_only_the_served_sentiment_model_is_missing_on_a_fresh_machine(tmp_path):
    assert missing_models(Settings(_env_file=None, state_dir=tmp_path)) == ["sentiment"]


def test_nothing_starts_when_no_served_model_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("aisle.cli.train.missing_models", lambda settings: [])
    assert preparation.train_in_background(Settings(_env_file=None, state_dir=tmp_path)) is None


def test_stopping_a_training_ends_its_whole_process_group():
    sleeper = "import time; time.sleep(60)"
    parent = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {sleeper!r}])"
    process = subprocess.Popen(
        [sys.executable, "-c", f"{parent}; time.sleep(60)"], start_new_session=True
    )
    time.sleep(1.0)  # the grandchild is started
    preparation.stop_training(process, grace_s=5)
    assert process.poll() is not None
    listing = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True).stdout
    group = [line.split() for line in listing.splitlines() if line.split()[0] == str(process.pid)]
    assert all(stat.startswith("Z") for _, stat in group)  # none left running (zombies: reaped)
