"""CLINC150: requests people type to an assistant ("what's my balance", "book a table for
two"), as examples of the *neutral* chat turn.

The other sources' neutral examples are few (airline, ReDial), so without these a plain shopping
request ("i need a sulphate free shampoo under 400") read as negative. Grouped by intent, so the
dev split holds out whole intents.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText, clean

FOLDER = "clinc150-oos-eval"
SOURCE = "requests"


def read_requests(data_dir: Path) -> Iterator[LabelledText]:
    """Every in-scope training and validation request, labelled neutral."""
    with gzip.open(data_dir / FOLDER / "data_full.json.gz", "rt", encoding="utf-8") as f:
        data = json.load(f)
    for split in ("train", "val"):
        for text, intent in data[split]:
            if text := clean(text):
                yield LabelledText(text, "neutral", SOURCE, intent, "message")
