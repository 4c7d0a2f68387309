"""All sentiment sources together, split per source by review or dialogue."""

from __future__ import annotations

from pathlib import Path

from models.data import (
    airline_tweets,
    amazon_reviews,
    assistant_requests,
    clothing_reviews,
    redial,
    shopper_chat,
)
from models.data.sentiment_text import LabelledText
from models.data.splits import dev_groups

READERS = {
    amazon_reviews.SOURCE: amazon_reviews.read_reviews,
    clothing_reviews.SOURCE: clothing_reviews.read_reviews,
    airline_tweets.SOURCE: airline_tweets.read_tweets,
    redial.SOURCE: redial.read_turns,
    assistant_requests.SOURCE: assistant_requests.read_requests,
    shopper_chat.SOURCE: shopper_chat.read_turns,
}


def read_corpus(data_dir: Path) -> list[LabelledText]:
    """Every labelled text of every source, in a stable order."""
    return [text for read in READERS.values() for text in read(data_dir)]


def split_corpus(
    texts: list[LabelledText], dev_fraction: float = 0.1, seed: int = 13
) -> tuple[list[LabelledText], list[LabelledText]]:
    """(train, dev): a seeded ``dev_fraction`` of each source's reviews/dialogues is held out
    whole, so no review contributes sentences to both sides."""
    dev: set[tuple[str, str]] = set()
    for source in READERS:
        groups = (t.group for t in texts if t.source == source)
        dev |= {(source, g) for g in dev_groups(groups, dev_fraction, seed)}
    train = [t for t in texts if (t.source, t.group) not in dev]
    return train, [t for t in texts if (t.source, t.group) in dev]
