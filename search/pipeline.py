"""The search pipeline, top-down: retrieve (``retrieval/``) → re-rank with the second-stage
ranker (``models/ranker_stage.py``, through :mod:`search.reranking`) → personalise
(``profiles/``).

:func:`search_products` is what the search action calls. For a known shopper it retrieves deeper
than it shows, adds products they bought before that match every word of the query (and the
filters), and re-ranks the lot for them; for an anonymous or unknown shopper it is exactly the
plain ranked search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.settings import Settings, get_settings
from profiles.features import ShopperFeatures
from profiles.ranking import RankingWeights, rank_for_shopper
from profiles.store import ProfileStore
from retrieval.schema import Filters, Product, SearchHit
from retrieval.text import product_text, tokenize
from search.reranking import rerank, stage_model

if TYPE_CHECKING:
    from retrieval.search import HybridSearcher


def ranked_search(
    searcher: HybridSearcher,
    query: str,
    filters: Filters | None,
    k: int,
    settings: Settings | None = None,
) -> list[SearchHit]:
    """The ``k`` best products for ``query`` before any personalisation: hybrid retrieval, its
    first ``rerank_candidates`` re-ordered by the second-stage ranker."""
    settings = settings or get_settings()
    depth = settings.rerank_candidates
    hits = searcher.search(query, filters, max(k, depth))
    return rerank(query, hits, depth, stage_model(settings), settings.rrf_k)[:k]


def history_matches(
    query: str, profile: ShopperFeatures, products: Sequence[Product], filters: Filters
) -> list[Product]:
    """The shopper's past purchases among ``products`` that contain every word of ``query``
    and pass ``filters``, most bought first."""
    words = set(tokenize(query))
    found = [
        p
        for p in products
        if words and words <= set(tokenize(product_text(p))) and filters.accepts(p)
    ]
    return sorted(found, key=lambda p: -profile.bought.get(p.id, 0.0))


def candidates(
    searcher: HybridSearcher,
    query: str,
    filters: Filters,
    profile: ShopperFeatures,
    depth: int,
    settings: Settings,
) -> list[SearchHit]:
    """What personal ranking chooses from: the ``depth`` best search hits (the first
    ``rerank_candidates`` ordered by the ranker), then the shopper's past purchases that match
    the query and were not among them."""
    hits = ranked_search(searcher, query, filters, depth, settings)
    seen = {hit.product.id for hit in hits}
    missing = [pid for pid in profile.bought if pid not in seen]
    return hits + [
        SearchHit(product=p, score=0.0, reason="you bought this before")
        for p in history_matches(query, profile, searcher.store.get(missing), filters)
    ]


def search_products(
    searcher: HybridSearcher,
    query: str,
    filters: Filters | None = None,
    k: int = 5,
    shopper_id: str | None = None,
    *,
    settings: Settings | None = None,
    profile: ShopperFeatures | None = None,
) -> list[SearchHit]:
    """The ``k`` best products for ``query`` and this shopper, each with a reason.

    ``profile`` overrides the stored features (evaluation); otherwise they are read for
    ``shopper_id``.
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    if profile is None:
        profile = ProfileStore(settings).features(shopper_id)
    if profile.is_empty:
        return ranked_search(searcher, query, filters, k, settings)
    depth = max(k, settings.personalization_depth)
    found = candidates(searcher, query, filters, profile, depth, settings)
    return rank_for_shopper(found, profile, RankingWeights.load(settings))[:k]
