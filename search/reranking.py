"""Re-ordering retrieved products with the fine-tuned cross-encoder (``models/ranker.py``).

Hybrid retrieval finds the candidates; the ranker, which reads the query and a product's title
together, orders the first ``rerank_candidates`` of them (docs/retrieval.md, "Re-ranking", has
the measurement behind the default). Without a usable ranker the retrieval order stands and a
warning is logged once: a missing model degrades the order, never the reply.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.settings import Settings, get_settings
from models.artifacts import ArtifactError
from retrieval.schema import Product, SearchHit

if TYPE_CHECKING:
    from models.ranker import Ranker

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_rankers: dict[str, Ranker | None] = {}


def ranker_text(product: Product) -> str:
    """What the ranker reads for a product: its title, led by the brand when the title lacks it
    (the ranker was trained on Home Depot titles, which name the brand)."""
    if product.brand and product.brand.casefold() not in product.title.casefold():
        return f"{product.brand} {product.title}"
    return product.title


def get_ranker(settings: Settings | None = None) -> Ranker | None:
    """The current ranker, loaded once per models folder; None (logged once) when it is missing
    or corrupt."""
    from models.ranker import Ranker

    settings = settings or get_settings()
    key = str(settings.models_dir)
    with _lock:
        if key not in _rankers:
            try:
                _rankers[key] = Ranker.load(settings)
            except ArtifactError as exc:
                logger.warning("search without re-ranking: %s", exc)
                _rankers[key] = None
        return _rankers[key]


def rerank_by_model(
    query: str, hits: Sequence[SearchHit], depth: int, ranker: Ranker | None
) -> list[SearchHit]:
    """``hits`` with the first ``depth`` re-ordered by the ranker's relevance to ``query``
    (ties keep the retrieval order); the rest follow unchanged. No ranker, no change."""
    hits = list(hits)
    if ranker is None or depth <= 1 or not query.strip() or len(hits) < 2:
        return hits
    return reorder(hits, ranker.score(query, [ranker_text(hit.product) for hit in hits[:depth]]))


def reorder(hits: Sequence[SearchHit], scores: Sequence[float]) -> list[SearchHit]:
    """The first ``len(scores)`` hits sorted by score, best first (stable), then the rest."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [hits[i] for i in order] + list(hits[len(scores) :])
