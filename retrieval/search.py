"""Hybrid product search: dense (MiniLM) and BM25 rankings fused by reciprocal rank fusion.

Both sides search an in-memory copy of the catalogue read from Chroma, the store of record: the
dense side exactly (cosine of the query with every allowed product's stored embedding, one
matrix-vector product), the BM25 side from its inverted index. Filters are one numpy mask applied
to both, and every result passes :meth:`Filters.accepts`, so they are exact; when fewer products
match than were asked for, all of them are returned.

The searcher is built once per process (:func:`get_searcher`) and loads nothing until the first
search; it reloads the in-memory copy whenever the store's revision changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from core.settings import Settings, get_settings
from retrieval.filters import FilterMask
from retrieval.lexical import BM25Index
from retrieval.schema import Filters, Product, SearchHit
from retrieval.store import ProductStore
from retrieval.text import product_text

_QUERY_CACHE = 1024  # query embeddings kept per searcher (shoppers repeat and refine queries)
# One BLAS thread for the query's matrix-vector product: on busy cores a second thread waits to
# be scheduled and makes it slower, not faster (docs/retrieval.md).
_BLAS = ThreadpoolController().select(user_api="blas")
_REASONS = {
    frozenset({"cosine", "bm25"}): "matches your words and what you meant",
    frozenset({"cosine"}): "close to what you asked for",
    frozenset({"bm25"}): "matches your words",
    frozenset(): "matches your filters",
}


@dataclass(frozen=True)
class _Snapshot:
    """The catalogue as held in memory: products, their embeddings, BM25 index, filter mask."""

    products: list[Product]
    vectors: np.ndarray  # row i: the stored unit embedding of products[i] (float32)
    bm25: BM25Index
    filters: FilterMask
    best_rated: np.ndarray  # rows, highest rating first (catalogue order among equals)
    brands: dict[str, str]  # _brand_key(brand) -> brand as the catalogue spells it

    @classmethod
    def of(cls, products: list[Product], vectors: np.ndarray) -> _Snapshot:
        ratings = np.array([p.rating or 0.0 for p in products])
        return cls(
            products=products,
            vectors=vectors,
            bm25=BM25Index([product_text(p) for p in products]),
            filters=FilterMask(products),
            best_rated=np.argsort(-ratings, kind="stable"),
            brands={_brand_key(p.brand): p.brand for p in reversed(products) if p.brand},
        )


_Scored = list[tuple[Product, float]]
_Side = Callable[[_Snapshot, str, np.ndarray, int], _Scored]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first (earlier position first among equals)."""
    top = np.arange(len(scores))
    if len(scores) > k:
        top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


def _brand_key(name: str) -> str:
    """A brand's spelling with case, spaces, punctuation and "and"/"&" ignored, so "head and
    shoulders" finds the catalogue's "Head & shoulders"."""
    return "".join(ch for ch in _AND.sub(" ", name.casefold()) if ch.isalnum())


_AND = re.compile(r"\band\b")


class HybridSearcher:
    """Searches one product store; safe to share between threads."""

    def __init__(self, store: ProductStore) -> None:
        self.store = store
        self.settings = store.settings
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._revision: str | None = None
        self._vectors: dict[str, tuple[float, ...]] = {}  # query embeddings, oldest first

    def search(self, query: str, filters: Filters | None = None, k: int = 5) -> list[SearchHit]:
        """The ``k`` best products for ``query`` that satisfy ``filters``, best first.

        An empty query returns the best-rated products that satisfy the filters.
        """
        if k <= 0:
            return []
        filters = filters or Filters()
        snapshot = self._current()
        allowed = snapshot.filters.mask(filters)
        hits: list[SearchHit] = []
        if query.strip():
            depth = max(k, self.settings.retrieval_depth)
            hits = self._fuse(
                dense=self._dense(snapshot, query, allowed, depth),
                lexical=self._lexical(snapshot, query, allowed, depth),
                filters=filters,
            )[:k]
        if len(hits) < k:  # an empty query, or fewer matches than asked: fill by rating
            hits += self._best_rated(snapshot, allowed, k - len(hits), {h.product.id for h in hits})
        return hits

    def dense(self, query: str, filters: Filters | None = None, k: int = 5) -> list[Product]:
        """The dense side alone: nearest products by MiniLM cosine that satisfy ``filters``."""
        return self._side(self._dense, query, filters, k)

    def lexical(self, query: str, filters: Filters | None = None, k: int = 5) -> list[Product]:
        """The BM25 side alone: products sharing words with ``query`` that satisfy ``filters``."""
        return self._side(self._lexical, query, filters, k)

    def _side(self, rank: _Side, query: str, filters: Filters | None, k: int) -> list[Product]:
        snapshot = self._current()
        filters = filters or Filters()
        found = rank(snapshot, query, snapshot.filters.mask(filters), k)
        return [p for p, _ in found if filters.accepts(p)]

    def _dense(self, snapshot: _Snapshot, query: str, allowed: np.ndarray, k: int) -> _Scored:
        """Exact cosine search over the allowed rows (all rows scored when nothing is filtered)."""
        vector = np.asarray(self._embed(query), dtype=np.float32)
        rows = np.flatnonzero(allowed)
        if not len(rows):
            return []
        with _BLAS.limit(limits=1):
            if len(rows) == len(allowed):
                scores = snapshot.vectors @ vector
            else:
                scores = snapshot.vectors[rows] @ vector
        top = _top(scores, k)
        return [(snapshot.products[rows[i]], float(scores[i])) for i in top]

    def _lexical(self, snapshot: _Snapshot, query: str, allowed: np.ndarray, k: int) -> _Scored:
        scores = snapshot.bm25.scores(query)
        matching = np.flatnonzero(allowed & (scores > 0))
        top = matching[_top(scores[matching], k)]
        return [(snapshot.products[row], float(scores[row])) for row in top]

    def _fuse(self, dense: _Scored, lexical: _Scored, filters: Filters) -> list[SearchHit]:
        scores: dict[str, float] = {}
        products: dict[str, Product] = {}
        sides: dict[str, dict[str, float]] = {}
        for side, ranking, weight in (
            ("bm25", lexical, self.settings.lexical_weight),
            ("cosine", dense, self.settings.dense_weight),
        ):
            for rank, (product, score) in enumerate(ranking, start=1):
                scores[product.id] = scores.get(product.id, 0.0) + weight / (
                    self.settings.rrf_k + rank
                )
                products[product.id] = product
                sides.setdefault(product.id, {})[side] = score
        ranked = sorted(scores, key=lambda pid: -scores[pid])
        return [
            SearchHit(
                product=products[pid],
                score=scores[pid],
                reason=_REASONS[frozenset(sides[pid])],
                **sides[pid],
            )
            for pid in ranked
            if filters.accepts(products[pid])
        ]

    @staticmethod
    def _best_rated(
        snapshot: _Snapshot, allowed: np.ndarray, k: int, exclude: set[str]
    ) -> list[SearchHit]:
        hits: list[SearchHit] = []
        for row in snapshot.best_rated[allowed[snapshot.best_rated]]:
            product = snapshot.products[row]
            if product.id not in exclude:
                hits.append(SearchHit(product=product, score=0.0, reason=_REASONS[frozenset()]))
                if len(hits) == k:
                    break
        return hits

    def resolve_brand(self, name: str) -> str | None:
        """The catalogue's spelling of a brand the shopper named (case, spaces and punctuation
        ignored), or None when the catalogue has no such brand."""
        return self._current().brands.get(_brand_key(name))

    def split_brand(self, text: str) -> tuple[str | None, str]:
        """A brand named at the start or end of ``text`` ("tata salt", "salt by tata") as the
        catalogue spells it, and the rest of the words; (None, text) when there is none. The
        longest brand wins; a brand that is the whole text is left as the text."""
        tokens = text.split()
        for size in range(min(4, len(tokens) - 1), 0, -1):
            for brand_words, rest in (
                (tokens[:size], tokens[size:]),
                (tokens[-size:], tokens[:-size]),
            ):
                if rest and rest[-1].casefold() == "by":
                    rest = rest[:-1]
                brand = self.resolve_brand(" ".join(brand_words))
                if brand and rest:
                    return brand, " ".join(rest)
        return None, text

    def products(self) -> list[Product]:
        """The catalogue as this searcher holds it now (the same list until the store changes)."""
        return self._current().products

    def _current(self) -> _Snapshot:
        revision = self.store.revision()
        with self._lock:
            if self._snapshot is None or revision != self._revision:
                self._snapshot = _Snapshot.of(*self.store.catalogue())
                self._revision = revision
            return self._snapshot

    def prime(self, queries: Sequence[str]) -> None:
        """Embed many queries in one batch before searching them (evaluations, benchmarks)."""
        fresh = [q for q in dict.fromkeys(queries) if q not in self._vectors]
        for query, vector in zip(fresh, self.store.embed_documents(fresh), strict=True):
            self._remember(query, tuple(vector.tolist()))

    def _embed(self, query: str) -> tuple[float, ...]:
        vector = self._vectors.get(query)
        if vector is None:
            vector = tuple(self.store.embed_query(query))
            self._remember(query, vector)
        return vector

    def _remember(self, query: str, vector: tuple[float, ...]) -> None:
        self._vectors[query] = vector
        if len(self._vectors) > _QUERY_CACHE:
            del self._vectors[next(iter(self._vectors))]


_searchers: dict[str, HybridSearcher] = {}
_searchers_lock = threading.Lock()


def get_searcher(settings: Settings | None = None) -> HybridSearcher:
    """The process's searcher for the configured store (created on first call, loads lazily)."""
    store = ProductStore(settings or get_settings())
    with _searchers_lock:
        return _searchers.setdefault(store.location, HybridSearcher(store))


def get_products(ids: Sequence[str], settings: Settings | None = None) -> list[Product]:
    """Products by id, read from the store of record (exact current prices); unknown ids omitted."""
    return get_searcher(settings).store.get(ids)


def get_product(product_id: str, settings: Settings | None = None) -> Product | None:
    """One product by id, or None."""
    found = get_products([product_id], settings)
    return found[0] if found else None
