"""Speed and index-quality measurements: ingestion throughput, query latency, HNSW recall.

Each catalogue is ingested into a fresh store under ``workdir`` (never the live store), then
queried with short queries cut from its own titles, with and without filters derived from the
product the query came from. HNSW recall@k compares Chroma's approximate neighbours with exact
cosine search over the same stored embeddings.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.settings import Settings
from retrieval.filters import FilterMask, chroma_where
from retrieval.ingest import ingest
from retrieval.schema import Filters, Product
from retrieval.search import HybridSearcher
from retrieval.store import ProductStore

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


def sample_queries(products: list[Product], n: int, seed: int = 0) -> list[tuple[str, Filters]]:
    """``n`` distinct (query, filters) pairs: 1-3 title words and filters that product satisfies."""
    rng = random.Random(seed)
    seen: set[str] = set()
    pairs: list[tuple[str, Filters]] = []
    while len(pairs) < n and len(seen) < len(products):
        product = rng.choice(products)
        words = product.title.split()
        start = rng.randrange(max(1, len(words) - 1))
        query = " ".join(words[start : start + rng.choice([1, 2, 3])])
        if query.casefold() in seen:
            continue
        seen.add(query.casefold())
        pairs.append((query, filters_for(product, rng)))
    return pairs


def filters_for(product: Product, rng: random.Random) -> Filters:
    """Filters a shopper might add, satisfied by ``product`` (price band, category, colour...)."""
    return Filters(
        max_price=None if product.price is None else round(product.price * rng.uniform(1, 2), 2),
        category=product.category[min(1, len(product.category) - 1)] if product.category else None,
        colour=product.colour or None,
        gender=product.gender or None,
    )


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
    }


def latency(
    searcher: HybridSearcher, pairs: list[tuple[str, Filters]], filtered: bool
) -> dict[str, float]:
    """p50/p95 of hybrid searches (k=5) by a fresh searcher, so no query embedding is cached."""
    searcher.search(pairs[0][0] + " warm-up", None, k=5)
    times = []
    for query, filters in pairs:
        start = time.perf_counter()
        searcher.search(query, filters if filtered else None, k=5)
        times.append(time.perf_counter() - start)
    return _percentiles(times)


def hnsw_recall(
    store: ProductStore,
    pairs: list[tuple[str, Filters]],
    ef_values: list[int],
    k: int = 50,
) -> dict[str, dict[str, float]]:
    """Mean recall@k of Chroma's HNSW against exact cosine search, per ef_search, for the same
    queries unfiltered and filtered.

    A neighbour counts when its similarity reaches the exact k-th best: catalogues repeat titles,
    and which of several identical vectors fills the last places is arbitrary.
    """
    stored = store.collection.get(include=["embeddings"])
    row_of = {pid: row for row, pid in enumerate(stored["ids"])}
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)
    by_id = {p.id: p for p in store.all_products()}
    mask = FilterMask([by_id[i] for i in stored["ids"]])
    queries = np.asarray(store.embed_documents([q for q, _ in pairs]), dtype=np.float32)
    sims = queries @ matrix.T
    results: dict[str, dict[str, float]] = {}
    for ef in ef_values:
        collection = _reopened(store, ef)
        recall: dict[str, list[float]] = {"unfiltered": [], "filtered": []}
        for row, (_, filters) in enumerate(pairs):
            for kind, active in (("unfiltered", None), ("filtered", filters)):
                scores = np.where(mask.mask(active), sims[row], -np.inf)
                want = min(k, int(np.isfinite(scores).sum()))
                kth = np.partition(scores, -want)[-want]
                found = collection.query(
                    query_embeddings=[queries[row].tolist()],
                    n_results=want,
                    where=chroma_where(active),
                    include=[],
                )["ids"][0]
                good = sum(sims[row, row_of[i]] >= kth - 1e-5 for i in found)
                recall[kind].append(good / want)
        results[str(ef)] = {kind: round(float(np.mean(v)), 4) for kind, v in recall.items()}
    _reopened(store, store.settings.hnsw_ef_search)
    return results


def _reopened(store: ProductStore, ef_search: int) -> Collection:
    """The store's collection searched with ``ef_search``. An embedded client keeps its loaded
    index and the beam it was opened with, so the setting is applied and the client reopened."""
    from chromadb.api.shared_system_client import SharedSystemClient

    settings = store.settings.model_copy(update={"hnsw_ef_search": ef_search})
    for _ in range(2):  # first open applies the setting, the second loads the index with it
        SharedSystemClient.clear_system_cache()
        collection = ProductStore(settings).collection
    return collection


def bench_catalogue(
    name: str,
    settings: Settings,
    workdir: Path,
    queries: int = 200,
    ef_values: list[int] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Ingest one catalogue into a fresh store under ``workdir`` and measure it."""
    bench_settings = settings.model_copy(
        update={
            "state_dir": workdir / name,
            "chroma_url": None,
            "chroma_collection": f"bench-{name}",
        }
    )
    log(f"{name}: ingesting into {bench_settings.chroma_dir}")
    store = ProductStore(bench_settings)
    store.embed_documents(["load the encoder before timing"])  # both of its models
    store.embeddings.embed_query("load the encoder before timing")
    start = time.perf_counter()
    report = ingest(name, settings=bench_settings, show_progress=True)
    seconds = time.perf_counter() - start
    pairs = sample_queries(store.all_products(), queries)
    log(f"{name}: {report.total} products in {seconds:.1f} s; timing {len(pairs)} queries")
    figures: dict[str, Any] = {
        "products": report.total,
        "ingest_s": round(seconds, 1),
        "ingest_products_per_s": round((report.added + report.updated) / seconds, 1),
        "hybrid": latency(HybridSearcher(store), pairs, filtered=False),
        "hybrid_filtered": latency(HybridSearcher(store), pairs, filtered=True),
    }
    if ef_values:
        log(f"{name}: HNSW recall@50 for ef_search {ef_values}")
        figures["hnsw_recall@50"] = hnsw_recall(store, pairs[:100], ef_values)
    return figures
