"""Retrieval evaluation on Home Depot-format relevance pairs: BM25 vs dense vs hybrid recall@k.

Protocol (issue 3): the catalogue is every product title in the file; for each search term with at
least one product rated >= 2.5, recall@k is the share of those products among the top k
retrieved from the whole catalogue; the figure is the mean over search terms.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from aisle.settings import Settings
from retrieval.ingest import upsert_with_progress
from retrieval.loaders.reader import NotACatalogue, RowError, number, read_rows, text
from retrieval.reranking import ranker_text, reorder
from retrieval.schema import Product
from retrieval.search import HybridSearcher
from retrieval.store import ProductStore

RELEVANT = 2.5
COLUMNS = ("id", "product_uid", "product_title", "search_term", "relevance")
METHODS = ("bm25", "dense", "hybrid")
RERANK_DEPTHS = (0, 5, 10, 20, 30, 50)


@dataclass(frozen=True)
class RelevanceSet:
    """Titles by product uid, and the relevant product uids of each search term."""

    titles: dict[str, str]
    relevant: dict[str, set[str]]


def read_pairs(path: Path) -> RelevanceSet:
    """Read a Home Depot-format CSV (latin-1, as the original). NotACatalogue if it is not one."""
    titles: dict[str, str] = {}
    relevant: dict[str, set[str]] = defaultdict(set)
    for item in read_rows(path, COLUMNS, encoding="latin-1"):
        if isinstance(item, RowError):
            continue
        row = item[1]
        uid, term = text(row, "product_uid"), text(row, "search_term")
        titles.setdefault(uid, text(row, "product_title"))
        try:
            score = number(row, "relevance")
        except ValueError:
            continue
        if term and score is not None and score >= RELEVANT:
            relevant[term].add(uid)
    if not relevant:
        raise NotACatalogue(f"{path}: no search term has a product rated >= {RELEVANT}")
    return RelevanceSet(titles, dict(relevant))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress(chunks: Iterator[list[str]], total: int, show: bool) -> Iterator[list[str]]:
    if not show:
        yield from chunks
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True)) as progress:
        task = progress.add_task("search terms", total=total)
        for chunk in chunks:
            yield chunk
            progress.advance(task, len(chunk))


def title_searcher(
    data: RelevanceSet, workdir: Path, settings: Settings, show_progress: bool
) -> HybridSearcher:
    """A searcher over the file's titles, ingested under ``workdir`` (kept between runs)."""
    eval_settings = settings.model_copy(
        update={"state_dir": workdir, "chroma_url": None, "chroma_collection": "eval-retrieval"}
    )
    store = ProductStore(eval_settings)
    # Home Depot titles carry no prices; the eval catalogue is titles only, ids "hd-<uid>".
    products = [Product(id=f"hd-{uid}", title=title) for uid, title in data.titles.items() if title]
    stored = store.ids()
    store.delete(stored - {p.id for p in products})  # left from another file of the same name
    upsert_with_progress(store, [p for p in products if p.id not in stored], show_progress)
    return HybridSearcher(store)


def evaluate(
    path: Path,
    workdir: Path,
    settings: Settings,
    k: int = 100,
    max_terms: int | None = None,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Recall@k of BM25, dense and hybrid retrieval; the catalogue is ingested under ``workdir``."""
    data = read_pairs(path)
    searcher = title_searcher(data, workdir, settings, show_progress)
    terms = sorted(data.relevant)[:max_terms]
    recalls: dict[str, list[float]] = {method: [] for method in METHODS}
    rankings = {"bm25": searcher.lexical, "dense": searcher.dense}
    for chunk in _progress(_chunks(terms, 256), len(terms), show_progress):
        searcher.prime(chunk)
        for term in chunk:
            wanted = {f"hd-{uid}" for uid in data.relevant[term]}
            found = {
                method: [p.id for p in rank(term, None, k)] for method, rank in rankings.items()
            }
            found["hybrid"] = [hit.product.id for hit in searcher.search(term, None, k)]
            for method, ids in found.items():
                recalls[method].append(len(wanted & set(ids)) / len(wanted))
    return {
        "input": str(path),
        "products": len(data.titles),
        "search_terms": len(terms),
        "k": k,
        **{f"{method}_recall@{k}": round(sum(v) / len(v), 4) for method, v in recalls.items()},
    }


def evaluate_reranking(
    path: Path,
    workdir: Path,
    settings: Settings,
    depths: Sequence[int] = RERANK_DEPTHS,
    max_terms: int | None = None,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Hybrid retrieval with its first N hits re-ordered by the ranker, for each N in ``depths``
    (0 = retrieval order): recall@5 (what the shopper is shown), recall@10 and MRR@10 of the
    products rated >= 2.5, and the ranker's p50/p95 latency for N candidates.

    Search terms the ranker was trained on (its split of the data folder's Home Depot file) are
    left out, so on that file this measures the ranker's dev terms only.
    """
    from models.data.home_depot import read_pairs as read_training_pairs
    from models.data.home_depot import split_pairs
    from models.ranker import Ranker
    from models.ranker_training import RankerConfig

    data = read_pairs(path)
    searcher = title_searcher(data, workdir, settings, show_progress)
    ranker = Ranker.load(settings)  # ArtifactError, with the command to run, when missing
    config = RankerConfig()
    train, _ = split_pairs(read_training_pairs(settings.data_dir), config.dev_fraction, config.seed)
    trained = {pair.search_term for pair in train}
    terms = [term for term in sorted(data.relevant) if term not in trained][:max_terms]
    deepest = max(max(depths), 10)
    found: dict[int, list[list[str]]] = {depth: [] for depth in depths}
    wanted: list[set[str]] = []
    timings: dict[int, list[float]] = {depth: [] for depth in depths if depth}
    for chunk in _progress(_chunks(terms, 256), len(terms), show_progress):
        searcher.prime(chunk)
        for term in chunk:
            hits = searcher.search(term, None, deepest)
            texts = [ranker_text(hit.product) for hit in hits]
            scores: list[float] = []
            for depth in sorted(timings):  # each depth scored (and timed) as search would
                start = time.perf_counter()
                scores = ranker.score(term, texts[:depth])
                timings[depth].append((time.perf_counter() - start) * 1000)
            for depth in depths:
                ranked = reorder(hits, scores[:depth]) if depth > 1 else hits
                found[depth].append([hit.product.id for hit in ranked[:10]])
            wanted.append({f"hd-{uid}" for uid in data.relevant[term]})
    rows = []
    for depth in depths:
        pairs = list(zip(wanted, found[depth], strict=True))
        times = timings.get(depth, [0.0])
        rows.append(
            {
                "depth": depth,
                "recall@5": _mean(len(w & set(f[:5])) / len(w) for w, f in pairs),
                "recall@10": _mean(len(w & set(f)) / len(w) for w, f in pairs),
                "mrr@10": _mean(_reciprocal_rank(w, f) for w, f in pairs),
                "p50_ms": round(float(np.percentile(times, 50)), 1),
                "p95_ms": round(float(np.percentile(times, 95)), 1),
            }
        )
    return {
        "input": str(path),
        "products": len(data.titles),
        "search_terms": len(terms),
        "ranker_version": ranker.folder.name,
        "backend": ranker.backend,
        "model_threads": settings.model_threads,
        "depths": rows,
    }


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else 0.0


def _reciprocal_rank(wanted: set[str], found: list[str]) -> float:
    return next((1 / rank for rank, pid in enumerate(found, start=1) if pid in wanted), 0.0)


def write_reranking_report(result: dict[str, Any], folder: Path) -> Path:
    """``reranking.json`` and ``reranking.png`` (quality and latency against N) in ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reranking.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = result["depths"]
    depths = [row["depth"] for row in rows]
    fig, quality = plt.subplots(figsize=(6, 3.6))
    for metric in ("recall@5", "recall@10", "mrr@10"):
        quality.plot(depths, [row[metric] for row in rows], marker="o", label=metric)
    quality.set_xlabel("candidates re-ranked (0 = retrieval order)")
    quality.set_ylabel("quality")
    quality.legend(loc="lower left")
    latency = quality.twinx()
    latency.plot(depths, [row["p95_ms"] for row in rows], "k--", marker="x", label="p95 ms")
    latency.set_ylabel("ranker p95 latency (ms)")
    latency.legend(loc="lower right")
    quality.set_title(f"Re-ranking depth, {result['search_terms']} held-out search terms")
    fig.tight_layout()
    png = folder / "reranking.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)
    return png
