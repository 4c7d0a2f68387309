"""USS ReDial: user turns of movie-recommendation dialogues with 1–5 satisfaction ratings."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from statistics import mean

from models.data.sentiment_text import LabelledText, clean

FOLDER = "uss-redial-satisfaction"
SOURCE = "redial"


def satisfaction_label(ratings: list[float]) -> str:
    """The annotators' mean rating rounded: 1–2 negative, 3 neutral, 4–5 positive."""
    rounded = round(mean(ratings))
    return "negative" if rounded <= 2 else "positive" if rounded >= 4 else "neutral"


def read_turns(data_dir: Path) -> Iterator[LabelledText]:
    """Every rated user turn, grouped by dialogue."""
    with gzip.open(data_dir / FOLDER / "ReDial.txt.gz", "rt", encoding="utf-8") as f:
        dialogue = 0
        for line in f:
            if not line.strip():
                dialogue += 1
                continue
            role, text, _action, sat = [*line.rstrip("\n").split("\t"), "", "", ""][:4]
            text = clean(text)
            if role == "USER" and sat.strip() and text:
                ratings = [float(r) for r in sat.split(",") if r.strip()]
                yield LabelledText(
                    text, satisfaction_label(ratings), SOURCE, f"dialogue-{dialogue}", "message"
                )
