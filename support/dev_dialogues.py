"""Labelled dialogues for checking flagging, built from the shared data sets.

- USS ReDial: each session is a dialogue (USER -> customer, SYSTEM -> agent); unhappy when the
  annotators' mean OVERALL satisfaction is below 3 (216 of 1,000 sessions).
- USS service dialogues, MultiWOZ and SGD (``uss-service-satisfaction``): the same format and
  label; no model of the project trains on them, so every dialogue is in both splits' place
  (``split`` is ignored).
- Twitter US airline sentiment: each tweet is a one-turn customer conversation; unhappy when the
  crowd labelled it negative.

The split follows the sentiment model's (models/data/splits.py, same fraction and seed), so the
``dev`` dialogues are ones whose turns the sentiment classifier never trained on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from statistics import mean
from typing import Any, Literal

from models.data import airline_tweets, redial
from models.data.sentiment_text import clean
from models.data.splits import dev_groups

Split = Literal["train", "dev"]
DEV_FRACTION, SEED = 0.1, 13  # models.sentiment_training.SentimentConfig's split
UNHAPPY_BELOW = 3.0


USS_SERVICE = "uss-service-satisfaction"
SERVICE_SOURCES = {"mwoz": "MWOZ.txt.gz", "sgd": "SGD.txt.gz"}


def redial_dialogues(data_dir: Path, split: Split) -> Iterator[dict[str, Any]]:
    """ReDial sessions of ``split`` in the eval format, with ``source`` and ``label``
    (1 = unhappy)."""
    held_out = dev_groups((t.group for t in redial.read_turns(data_dir)), DEV_FRACTION, SEED)
    for row in uss_dialogues(data_dir / redial.FOLDER / "ReDial.txt.gz", "redial"):
        group = "dialogue-" + row["id"].removeprefix("redial-")
        if (group in held_out) == (split == "dev"):
            yield row


def service_dialogues(data_dir: Path, source: str) -> Iterator[dict[str, Any]]:
    """The MultiWOZ (``mwoz``) or SGD (``sgd``) dialogues of the USS service set."""
    yield from uss_dialogues(data_dir / USS_SERVICE / SERVICE_SOURCES[source], source)


def uss_dialogues(path: Path, source: str) -> Iterator[dict[str, Any]]:
    """A USS file's dialogues (blank-line separated; ``OVERALL`` rates the whole dialogue), in
    the eval format with ``source`` and ``label`` (1 = mean overall rating below 3). Dialogue
    numbers count blank lines, like ``models.data.redial.read_turns``."""
    turns: list[dict[str, str]] = []
    overall: list[float] = []
    dialogue = 0  # numbered like redial.read_turns: one more per blank line
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in [*f, "\n"]:
            if not line.strip():
                if turns and overall:
                    label = int(mean(overall) < UNHAPPY_BELOW)
                    yield {"id": f"{source}-{dialogue}", "source": source, "label": label} | {
                        "turns": turns
                    }
                turns, overall, dialogue = [], [], dialogue + 1
                continue
            role, text, _action, sat = [*line.rstrip("\n").split("\t"), "", "", ""][:4]
            if text == "OVERALL":
                overall = [float(r) for r in sat.split(",") if r.strip()]
            elif clean(text):
                speaker = "customer" if role == "USER" else "agent"
                turns.append({"speaker": speaker, "text": clean(text)})


def airline_dialogues(data_dir: Path, split: Split) -> Iterator[dict[str, Any]]:
    """Airline tweets of ``split`` as one-turn conversations, with ``label`` (1 = negative)."""
    tweets = list(airline_tweets.read_tweets(data_dir))
    held_out = dev_groups((t.group for t in tweets), DEV_FRACTION, SEED)
    for tweet in tweets:
        if (tweet.group in held_out) == (split == "dev"):
            yield {
                "id": f"airline-{tweet.group}",
                "source": "airline",
                "turns": [{"speaker": "customer", "text": tweet.text}],
                "label": int(tweet.label == "negative"),
            }


def write_dev_dialogues(data_dir: Path, out: Path, split: Split = "dev") -> list[Path]:
    """Write ``flagging_<split>_<source>.jsonl`` per source and a combined file; returns them."""
    out.mkdir(parents=True, exist_ok=True)
    sources = {
        "redial": list(redial_dialogues(data_dir, split)),
        "airline": list(airline_dialogues(data_dir, split)),
        **{name: list(service_dialogues(data_dir, name)) for name in SERVICE_SOURCES},
    }
    paths = []
    for name, rows in [*sources.items(), ("all", [r for rs in sources.values() for r in rs])]:
        path = out / f"flagging_{split}_{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        paths.append(path)
    return paths
