"""Multi-Domain Sentiment (Blitzer et al. 2007): pseudo-XML ``<domain>_<polarity>.review.gz``."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText, review_texts, star_label

FOLDER = "multi-domain-sentiment-amazon"
SOURCE = "amazon"

_REVIEW = re.compile(r"<review>(.*?)</review>", re.S)
_FIELD = re.compile(r"<(\w+)>\n?(.*?)\n?</\1>", re.S)


def parse_reviews(text: str) -> Iterator[dict[str, str]]:
    """The field dictionaries of a pseudo-XML review file (no root element, loose entities)."""
    for block in _REVIEW.findall(text):
        yield {tag: value.strip() for tag, value in _FIELD.findall(block)}


def read_reviews(data_dir: Path) -> Iterator[LabelledText]:
    """Titles and sentences of every review, labelled from its star rating."""
    for path in sorted((data_dir / FOLDER).glob("*.review.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            for review in parse_reviews(f.read()):
                label = star_label(float(review["rating"]))
                if label is not None:
                    group = f"{path.name}:{review.get('unique_id', '')}"
                    yield from review_texts(
                        review.get("title", ""), review.get("review_text", ""), label, SOURCE, group
                    )
