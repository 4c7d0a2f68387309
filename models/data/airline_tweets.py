"""Twitter US Airline Sentiment: short complaint-style messages labelled by the crowd."""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText, clean

FOLDER = "twitter-us-airline-sentiment"
SOURCE = "airline"

_LEADING_MENTIONS = re.compile(r"^(@\w+\s*)+")


def read_tweets(data_dir: Path) -> Iterator[LabelledText]:
    """Each distinct tweet with its crowd label; the leading @airline handles are dropped."""
    seen: set[str] = set()
    with gzip.open(data_dir / FOLDER / "Tweets.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = clean(_LEADING_MENTIONS.sub("", row["text"]))
            if text and row["tweet_id"] not in seen:
                seen.add(row["tweet_id"])
                yield LabelledText(
                    text, row["airline_sentiment"], SOURCE, row["tweet_id"], "message"
                )
