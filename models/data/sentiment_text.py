"""The labelled-text record every sentiment reader produces, and review-to-sentence splitting."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

LABELS = ("negative", "neutral", "positive")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelledText:
    """A text with its sentiment label.

    ``group`` identifies the review or dialogue it came from (splits are made by group);
    ``kind`` is ``title``, ``sentence`` or ``message``.
    """

    text: str
    label: str
    source: str
    group: str
    kind: str


def star_label(stars: float) -> str | None:
    """1–2 stars negative, 4–5 positive; 3 stars is mixed, so it yields no label."""
    if stars <= 2:
        return "negative"
    if stars >= 4:
        return "positive"
    return None


def clean(text: str) -> str:
    """Unescape HTML entities (twice: the Amazon files hold ``&amp;lt;``) and squash spaces."""
    return _SPACES.sub(" ", html.unescape(html.unescape(text))).strip()


def sentences(text: str, min_words: int = 3, max_words: int = 40) -> Iterator[str]:
    """The review's sentences of ``min_words``..``max_words`` words."""
    for part in _SENTENCE_END.split(text):
        sentence = clean(part)
        if min_words <= len(sentence.split()) <= max_words:
            yield sentence


def review_texts(
    title: str, body: str, label: str, source: str, group: str
) -> Iterator[LabelledText]:
    """A review as its title and its sentences, each carrying the review's star label."""
    title = clean(title)
    if title:
        yield LabelledText(title, label, source, group, "title")
    for sentence in sentences(body):
        yield LabelledText(sentence, label, source, group, "sentence")
