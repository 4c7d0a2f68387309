"""Train the Rasa model only when the bot's data or configuration changed.

The model file is named after a hash of everything ``rasa train`` reads, so an unchanged bot
reuses its model at once (``rasa train`` itself needs ~20 s just to decide that).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from aisle.settings import REPO_ROOT, Settings

BOT_DIR = REPO_ROOT / "bot"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


class BotTrainingError(RuntimeError):
    """``rasa train`` failed; the message names its log file."""


def fingerprint(bot_dir: Path = BOT_DIR) -> str:
    """A short hash of the files ``rasa train`` reads."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = bot_dir / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in (f for f in files if f.is_file()):
            digest.update(str(file.relative_to(bot_dir)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def ensure_model(settings: Settings, *, echo: bool = True) -> Path:
    """The trained model for the current bot, training it first when missing."""
    name = f"aisle-{fingerprint()}"
    model = settings.rasa_models_dir / f"{name}.tar.gz"
    if model.exists():
        return model
    settings.rasa_models_dir.mkdir(parents=True, exist_ok=True)
    settings.logs_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.logs_dir / "rasa-train.log"
    if echo:
        print(f"Training the Rasa model (bot data changed; about 2 minutes; log: {log_path})")
    inputs = "--config config.yml --domain domain.yml --data data".split()
    command = [str(settings.rasa_python), "-m", "rasa", "train", *inputs]
    command += ["--out", str(settings.rasa_models_dir), "--fixed-model-name", name]
    env = {
        **os.environ,
        "AISLE_ACTION_URL": settings.action_url,
        "RASA_CACHE_DIRECTORY": str(settings.state_dir / "rasa-cache"),
    }
    with log_path.open("w") as log:
        result = subprocess.run(command, cwd=BOT_DIR, stdout=log, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0 or not model.exists():
        raise BotTrainingError(f"rasa train failed (exit {result.returncode}); see {log_path}")
    return model
