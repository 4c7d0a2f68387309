"""Reference scorers the evaluation reports next to the models: random, BM25 and MiniLM cosine
for ranking; VADER for sentiment."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _TOKEN.findall(text.lower())


def random_scores(n: int, seed: int = 0) -> list[float]:
    """Seeded uniform noise: the chance level."""
    return np.random.default_rng(seed).random(n).tolist()


def bm25_scores(queries: Sequence[str], texts: Sequence[str]) -> list[float]:
    """BM25 (Okapi) of each text for its query, with statistics over the distinct texts given."""
    from rank_bm25 import BM25Okapi

    distinct = sorted(set(texts))
    position = {text: i for i, text in enumerate(distinct)}
    bm25 = BM25Okapi([tokens(t) or [""] for t in distinct])
    rows_by_query: dict[str, list[int]] = {}
    for row, query in enumerate(queries):
        rows_by_query.setdefault(query, []).append(row)
    out = [0.0] * len(texts)
    for query, rows in rows_by_query.items():
        scores = bm25.get_batch_scores(tokens(query), [position[texts[r]] for r in rows])
        for r, score in zip(rows, scores, strict=True):
            out[r] = float(score)
    return out


def cosine_scores(queries: Sequence[str], texts: Sequence[str], encoder_path: str) -> list[float]:
    """Cosine similarity of MiniLM sentence embeddings of query and text (no fine-tuning)."""
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(encoder_path, device="cpu")
    distinct = sorted(set(queries) | set(texts))
    vectors = encoder.encode(distinct, batch_size=128, normalize_embeddings=True)
    index = {text: vectors[i] for i, text in enumerate(distinct)}
    return [float(index[q] @ index[t]) for q, t in zip(queries, texts, strict=True)]


def vader_labels(texts: Sequence[str], binary: bool) -> list[str]:
    """VADER's label from its compound score: the usual ±0.05 neutral band, or the sign when
    the task is binary."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    labels = []
    for text in texts:
        compound = analyzer.polarity_scores(text)["compound"]
        if binary:
            labels.append("positive" if compound >= 0 else "negative")
        else:
            labels.append(
                "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
            )
    return labels
