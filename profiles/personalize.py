"""What the search action calls: personal re-ranking of hits, and personal search.

:func:`personalized_search` retrieves deeper than it shows, adds products the shopper bought
before that match every word of the query (and the filters), and re-ranks the lot for them; for
an anonymous or unknown shopper it is exactly the plain search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aisle.settings import Settings, get_settings
from profiles.features import ShopperFeatures
from profiles.ranking import RankingWeights, rerank
from profiles.store import ProfileStore
from retrieval.reranking import ranked_search
from retrieval.schema import Filters, Product, SearchHit
from retrieval.text import product_text, tokenize

if TYPE_CHECKING:
    from retrieval.search import HybridSearcher


def personalize(
    hits: Sequence[SearchHit], shopper_id: str | None, settings: Settings | None = None
) -> list[SearchHit]:
    """``hits`` re-ordered for the shopper, each with a short reason; unchanged for an
    anonymous or unknown shopper."""
    settings = settings or get_settings()
    return rerank(hits, ProfileStore(settings).features(shopper_id), RankingWeights.load(settings))


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


def personalized_search(
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
    return rerank(found, profile, RankingWeights.load(settings))[:k]
