"""The second-stage re-ranker: small gradient-boosted trees over what hybrid retrieval knows about
each candidate (its rank, fused score, cosine and BM25, and their ranks among the candidates)
and how the product's words cover the query's (all words, spelling-tolerant, the head product's
words, the last head word, numbers, word pairs, where in the title the head stands).

It is trained for the job it does (``aisle train ranker-stage``,
``models/ranker_stage_training.py``): re-ordering hybrid retrieval's first candidates. For each
Home Depot *training* search term (split by term, as the cross-encoder ranker's data), the first
``depth`` hybrid hits over all of the file's titles are the candidates; the products rated >= 2.5
for the term are the positives and every other candidate, retrieved for that term but not judged
relevant, a hard negative. scikit-learn fits the trees at training time only; they are exported
as flat arrays and scored here with numpy (20 candidates: a few milliseconds).

Without a trained file (``<models_dir>/ranker-stage.json``) the model shipped beside this module
(``ranker_stage.json``, the output of that command on the shared data, see docs/models.md) is
used, so a fresh machine re-ranks from the first search.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from core.settings import Settings
from retrieval.schema import SearchHit
from retrieval.text import words

FILE = "ranker-stage.json"
SHIPPED_FILE = Path(__file__).with_name("ranker_stage.json")
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
    "inverse_cosine_rank",
    "inverse_bm25_rank",
    "query_words",
    "fuzzy_coverage",
    "number_coverage",
    "pair_coverage",
    "head_position",
    "last_word_at_end",
)
_MODIFIER = re.compile(r"\b(?:for|with|without|from|in)\b", re.I)
_ABSENT = -1.0  # a feature that does not apply to this query (no numbers, a one-word query)


def _inverse_ranks(values: Sequence[float]) -> np.ndarray:
    """1 / rank of each value among ``values``, highest first (ties by position)."""
    order = np.argsort(-np.asarray(values, dtype=np.float64), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return 1.0 / ranks


def features(query: str, hits: Sequence[SearchHit], rrf_k: int = 60) -> np.ndarray:
    """One row of :data:`FEATURES` per hit, in the hits' (retrieval) order."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import cdist

    query_words = words(query)
    unique = set(query_words)
    head = words(_MODIFIER.split(query, maxsplit=1)[0]) or query_words
    numbers = {w for w in unique if any(c.isdigit() for c in w)}
    pairs = set(pairwise(query_words))
    cosines = [h.cosine for h in hits if h.cosine is not None]
    best_cosine, worst_cosine = max(cosines, default=0.0), min(cosines, default=0.0)
    bm25s = [h.bm25 or 0.0 for h in hits]
    best_bm25 = max(bm25s, default=0.0) or 1.0
    filled = [h.cosine if h.cosine is not None else worst_cosine for h in hits]
    cosine_ranks, bm25_ranks = _inverse_ranks(filled), _inverse_ranks(bm25s)
    title_lists = [words(hit.product.title) for hit in hits]
    titles = [
        set(listed).union(words(hit.product.brand))
        for listed, hit in zip(title_lists, hits, strict=True)
    ]
    vocabulary = {word: i for i, word in enumerate(sorted(set().union(*titles)))}
    # each query word's rapidfuzz ratio to every title word of the candidates, once
    similar = (
        cdist(query_words, list(vocabulary), scorer=ratio, dtype=np.float64) / 100
        if vocabulary
        else None
    )
    rows = []
    for rank, hit in enumerate(hits, start=1):
        title_words, title = title_lists[rank - 1], titles[rank - 1]
        cosine = filled[rank - 1]
        fuzzy = (
            similar[:, [vocabulary[t] for t in title]].max(axis=1).tolist()
            if similar is not None and title and query_words
            else [0.0] * len(query_words)
        )
        positions = [title_words.index(w) / len(title_words) for w in head if w in title_words]
        rows.append(
            [
                1.0 / rank,
                math.log(rank),
                hit.score * rrf_k,
                cosine,
                cosine - best_cosine,
                bm25s[rank - 1] / best_bm25,
                float(hit.cosine is not None and hit.bm25 is not None),
                len(unique & title) / len(unique) if unique else 0.0,
                sum(w in title for w in head) / len(head) if head else 0.0,
                float(bool(head) and head[-1] in title),
                math.log1p(len(title)),
                cosine_ranks[rank - 1],
                bm25_ranks[rank - 1],
                float(len(query_words)),
                sum(fuzzy) / len(fuzzy) if fuzzy else 0.0,
                len(numbers & title) / len(numbers) if numbers else _ABSENT,
                len(pairs & set(pairwise(title_words))) / len(pairs) if pairs else _ABSENT,
                min(positions) if positions else _ABSENT,
                float(bool(query_words) and query_words[-1] in title_words[-3:]),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(hits), len(FEATURES))


@dataclass(frozen=True, eq=False)
class StageModel:
    """Regression trees as flat arrays, one row per tree: ``feature`` and ``threshold`` of each
    node (a row goes left when its feature is <= the threshold), its ``left`` and ``right``
    child (a leaf points at itself), and its ``value`` (used at leaves); a candidate's score is
    ``base`` plus its leaf value in every tree."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    base: float = 0.0
    features: tuple[str, ...] = FEATURES
    trained_on: str = ""

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The score of each row of ``x`` (columns as :attr:`features`): every tree walked for
        every row at once, one level per step, on flattened arrays (``np.take`` is several
        times faster than broadcast fancy indexing here)."""
        feature, threshold, left, right, value, starts = self._flat
        count = len(x)
        columns = np.ascontiguousarray(x.T).ravel()  # (feature f, row r) at f * count + r
        rows = np.arange(count)
        node = np.repeat(starts, count).reshape(len(starts), count)
        for _ in range(self.depth):
            goes_left = columns.take(feature.take(node) * count + rows) <= threshold.take(node)
            node = np.where(goes_left, left.take(node), right.take(node))
        return self.base + value.take(node).sum(axis=0)

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays as one row of all trees' nodes, children as positions in it."""
        width = self.feature.shape[1]
        starts = np.arange(self.feature.shape[0]) * width
        return (
            self.feature.ravel(),
            self.threshold.ravel(),
            (self.left + starts[:, None]).ravel(),
            (self.right + starts[:, None]).ravel(),
            self.value.ravel(),
            starts,
        )

    def score(self, query: str, hits: Sequence[SearchHit], rrf_k: int = 60) -> np.ndarray:
        if not hits:
            return np.zeros(0)
        return self.predict(features(query, hits, rrf_k))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "trained_on": self.trained_on,
            "base": round(self.base, 6),
            "depth": self.depth,
            "feature": self.feature.tolist(),
            "threshold": np.round(self.threshold, 6).tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": np.round(self.value, 6).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StageModel:
        return cls(
            feature=np.asarray(data["feature"], dtype=np.intp),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.intp),
            right=np.asarray(data["right"], dtype=np.intp),
            value=np.asarray(data["value"], dtype=np.float64),
            depth=int(data["depth"]),
            base=float(data["base"]),
            features=tuple(data["features"]),
            trained_on=str(data.get("trained_on", "")),
        )

    @classmethod
    def path(cls, settings: Settings) -> Path:
        return settings.models_dir / FILE

    @classmethod
    def read(cls, path: Path) -> StageModel | None:
        """The model in ``path``, or None when it is not one for the current :data:`FEATURES`."""
        data = json.loads(path.read_text())
        if tuple(data.get("features", ())) != FEATURES or "feature" not in data:
            return None
        return cls.from_json(data)

    @classmethod
    def load(cls, settings: Settings) -> StageModel:
        """The trained model in the models folder, else the shipped one."""
        path = cls.path(settings)
        return (cls.read(path) if path.is_file() else None) or shipped()

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n")
        return path


@cache
def shipped() -> StageModel:
    """The model shipped with the code (``models/ranker_stage.json``)."""
    model = StageModel.read(SHIPPED_FILE)
    if model is None:
        raise ValueError(f"{SHIPPED_FILE} is not a model for the current features")
    return model
