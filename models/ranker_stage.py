"""The second-stage re-ranker: a pairwise-trained linear model over what hybrid retrieval knows
about each candidate (its rank, fused score, cosine, BM25) and how the product's words cover the
query's (all words, the head product's words, the last head word).

It is trained for the job it does (``aisle train ranker-stage``,
``models/ranker_stage_training.py``): re-ordering hybrid retrieval's
first candidates. For each Home Depot *training* search term (split by term, as the cross-encoder
ranker's data), the first ``depth`` hybrid hits over all of the file's titles are the candidates;
the products rated >= 2.5 for the term are the positives and every other candidate, retrieved
for that term but not judged relevant, a hard negative. The loss is logistic on pairwise
differences (a linear RankNet) of standardised features. Scoring 20 candidates is a few numpy
operations (well under a millisecond).

Without a trained file (``<models_dir>/ranker-stage.json``) the weights shipped below are used:
they are the output of that command on the shared data (see docs/models.md), so a fresh
machine re-ranks from the first search.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.settings import Settings
from retrieval.schema import SearchHit
from retrieval.text import words

FILE = "ranker-stage.json"
FEATURES = (
    "inverse_rank",
    "log_rank",
    "rrf",
    "cosine",
    "cosine_gap",
    "bm25_share",
    "both_sides",
    "coverage",
    "head_coverage",
    "last_head_word",
    "title_words",
)
_MODIFIER = re.compile(r"\b(?:for|with|without|from|in)\b", re.I)


def features(query: str, hits: Sequence[SearchHit], rrf_k: int = 60) -> np.ndarray:
    """One row of :data:`FEATURES` per hit, in the hits' (retrieval) order."""
    query_words = set(words(query))
    head = words(_MODIFIER.split(query, maxsplit=1)[0]) or words(query)
    cosines = [h.cosine for h in hits if h.cosine is not None]
    best_cosine = max(cosines, default=0.0)
    best_bm25 = max((h.bm25 or 0.0 for h in hits), default=0.0) or 1.0
    rows = []
    for rank, hit in enumerate(hits, start=1):
        title = set(words(f"{hit.product.title} {hit.product.brand}"))
        cosine = hit.cosine if hit.cosine is not None else min(cosines, default=0.0)
        rows.append(
            [
                1.0 / rank,
                math.log(rank),
                hit.score * rrf_k,
                cosine,
                cosine - best_cosine,
                (hit.bm25 or 0.0) / best_bm25,
                float(hit.cosine is not None and hit.bm25 is not None),
                len(query_words & title) / len(query_words) if query_words else 0.0,
                sum(w in title for w in head) / len(head) if head else 0.0,
                float(bool(head) and head[-1] in title),
                math.log1p(len(title)),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(hits), len(FEATURES))


@dataclass(frozen=True)
class StageWeights:
    """Standardisation and coefficients of the linear scorer, one per feature."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    features: tuple[str, ...] = FEATURES
    trained_on: str = ""

    def score(self, query: str, hits: Sequence[SearchHit], rrf_k: int = 60) -> np.ndarray:
        x = features(query, hits, rrf_k)
        return ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)

    @classmethod
    def path(cls, settings: Settings) -> Path:
        return settings.models_dir / FILE

    @classmethod
    def load(cls, settings: Settings) -> StageWeights:
        """The trained weights in the models folder, else the shipped ones."""
        path = cls.path(settings)
        if path.is_file():
            data = json.loads(path.read_text())
            if tuple(data.get("features", ())) == FEATURES:
                return cls(
                    mean=tuple(data["mean"]),
                    scale=tuple(data["scale"]),
                    coef=tuple(data["coef"]),
                    trained_on=str(data.get("trained_on", "")),
                )
        return SHIPPED

    def save(self, settings: Settings) -> Path:
        path = self.path(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")
        return path


SHIPPED = StageWeights(  # `aisle train ranker-stage` on the shared data, 2026-11-30
    mean=(
        0.179887,
        2.116781,
        1.408339,
        0.549437,
        -0.097721,
        0.644906,
        0.712317,
        0.584953,
        0.58685,
        0.624016,
        2.381477,
    ),
    scale=(
        0.217828,
        0.792134,
        0.360612,
        0.108517,
        0.073079,
        0.323085,
        0.452682,
        0.267364,
        0.279647,
        0.484376,
        0.335028,
    ),
    coef=(
        -0.006627,
        0.119734,
        0.613429,
        0.160862,
        0.238871,
        -0.046222,
        -0.410317,
        1.664358,
        0.383807,
        -0.005232,
        0.035163,
    ),
    trained_on="shipped: 6223 Home Depot training terms, first 20 hybrid hits",
)
