"""Train the Rasa model only when the bot's data or configuration changed.

The model file is named after a hash of everything ``rasa train`` reads, so an unchanged bot
reuses its model at once (``rasa train`` itself is slow even to decide that nothing changed).

Besides ``bot/data`` and the custom components in ``bot/components``, training reads
out-of-scope examples generated from CLINC150 in the data folder (:func:`write_generated_data`):
the data set's sentences stay out of the repository.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from core.settings import REPO_ROOT, Settings

BOT_DIR = REPO_ROOT / "bot"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "components")
CLINC_FILE = "clinc150-oos-eval/data_full.json.gz"
# CLINC150 intents that a shopping assistant handles (or that overlap its small talk), so their
# sentences are not out of scope here; one sentence of every other intent is.
CLINC_IN_SCOPE = frozenset(
    "order order_status shopping_list shopping_list_update greeting goodbye thank_you "
    "are_you_a_bot yes no maybe cancel repeat what_can_i_ask_you redeem_rewards "
    "rewards_balance card_declined pay_bill bill_balance transactions spending_history "
    "report_fraud order_checks".split()
)


class BotTrainingError(RuntimeError):
    """``rasa train`` failed; the message names its log file."""


def fingerprint(bot_dir: Path = BOT_DIR, generated: Sequence[Path] = ()) -> str:
    """A short hash of the files ``rasa train`` reads (the bot's and the ``generated`` ones)."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = bot_dir / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        files = [f for f in files if "__pycache__" not in f.parts]
        for file in (f for f in files if f.is_file()):
            digest.update(str(file.relative_to(bot_dir)).encode())
            digest.update(file.read_bytes())
    for file in generated:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def out_of_scope_examples(clinc_file: Path) -> list[str]:
    """CLINC150's out-of-scope training sentences plus the first training sentence of each
    intent a shop does not handle, in the data set's order."""
    with gzip.open(clinc_file, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    examples = [text for text, _ in data["oos_train"]]
    seen: set[str] = set(CLINC_IN_SCOPE)
    for text, intent in data["train"]:
        if intent not in seen:
            seen.add(intent)
            examples.append(text)
    # Brackets and parentheses would read as entity annotations in Rasa's format.
    return [" ".join(e.translate(str.maketrans("[](){}", "      ")).split()) for e in examples]


def write_generated_data(settings: Settings) -> list[Path]:
    """Write the generated training files under ``state_dir/bot-data``; returns them (none
    when the data folder lacks CLINC150)."""
    source = settings.data_dir / CLINC_FILE
    if not source.exists():
        return []
    lines = ['version: "3.1"', "nlu:", "- intent: out_of_scope", "  examples: |"]
    lines += [f"    - {text}" for text in out_of_scope_examples(source)]
    path = settings.state_dir / "bot-data" / "out_of_scope.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return [path]


def ensure_model(settings: Settings, *, echo: bool = True) -> Path:
    """The trained model for the current bot, training it first when missing."""
    generated = write_generated_data(settings)
    name = f"aisle-{fingerprint(generated=generated)}"
    model = settings.rasa_models_dir / f"{name}.tar.gz"
    if model.exists():
        return model
    settings.rasa_models_dir.mkdir(parents=True, exist_ok=True)
    settings.logs_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.logs_dir / "rasa-train.log"
    if echo:
        print(f"Training the Rasa model (bot data changed; about 2 minutes; log: {log_path})")
    inputs = [*"--config config.yml --domain domain.yml --data data".split(), *map(str, generated)]
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
