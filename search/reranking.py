"""Re-ordering retrieved products with the second-stage ranker (``models/ranker_stage.py``).

Hybrid retrieval finds the candidates; the ranker, trained on hybrid retrieval's own candidates
with hard negatives, orders the first ``rerank_candidates`` of them from their retrieval scores
and how their words cover the query's (docs/retrieval.md, "Re-ranking", has the measurement
behind the default). The model is re-read when its file changes, so a model trained while
the servers run is used from the next search on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from core.settings import Settings
from models.ranker_stage import StageModel
from retrieval.schema import SearchHit

_lock = threading.Lock()
_models: dict[str, tuple[float, StageModel]] = {}


def stage_model(settings: Settings) -> StageModel:
    """The current model of this models folder (trained file, else shipped), re-read when the
    file changes."""
    path = StageModel.path(settings)
    stamp = path.stat().st_mtime if path.is_file() else 0.0
    with _lock:
        cached = _models.get(str(path))
        if cached is None or cached[0] != stamp:
            cached = (stamp, StageModel.load(settings))
            _models[str(path)] = cached
        return cached[1]


def rerank(
    query: str, hits: Sequence[SearchHit], depth: int, model: StageModel, rrf_k: int = 60
) -> list[SearchHit]:
    """``hits`` with the first ``depth`` re-ordered by the ranker (ties keep the retrieval
    order); the rest follow unchanged."""
    hits = list(hits)
    if depth <= 1 or not query.strip() or len(hits) < 2:
        return hits
    return reorder(hits, model.score(query, hits[:depth], rrf_k).tolist())


def reorder(hits: Sequence[SearchHit], scores: Sequence[float]) -> list[SearchHit]:
    """The first ``len(scores)`` hits sorted by score, best first (stable), then the rest."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [hits[i] for i in order] + list(hits[len(scores) :])
