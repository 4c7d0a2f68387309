"""``aisle eval reranking``: hybrid retrieval with its first N hits re-ordered by the second-stage
ranker, measured on Home Depot-format relevance pairs against retrieval order (N = 0)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.evaluation import Plot, read_pairs, write_report
from core.metrics import first_relevant_ranks, mrr, recall_at_k
from core.settings import Settings
from retrieval.evaluation import chunks, eval_ids, progress, read_relevance_set, title_searcher
from search.reranking import reorder

RERANK_DEPTHS = (0, 5, 10, 20, 30, 50)  # 0 = retrieval order


def evaluate_reranking(
    path: Path,
    workdir: Path,
    settings: Settings,
    depths: Sequence[int] = RERANK_DEPTHS,
    max_terms: int | None = None,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Hybrid retrieval with its first N hits re-ordered by the second-stage ranker
    (``models/ranker_stage.py``), for each N in ``depths``
    (0 = retrieval order): recall@5 (what the shopper is shown), recall@10 and MRR@10 of the
    products rated >= 2.5, and the ranker's p50/p95 latency for N candidates.

    Search terms the ranker was trained on (its split of the data folder's Home Depot file) are
    left out, so on that file this measures the ranker's dev terms only.
    """
    from models.data.home_depot import split_pairs, train_file
    from models.ranker_stage import StageModel
    from models.ranker_training import RankerConfig

    data = read_relevance_set(path)
    searcher = title_searcher(data, workdir, settings, show_progress)
    model = StageModel.load(settings)
    config = RankerConfig()
    train, _ = split_pairs(
        read_pairs(train_file(settings.data_dir)), config.dev_fraction, config.seed
    )
    trained = {pair.search_term for pair in train}
    terms = [term for term in sorted(data.relevant) if term not in trained][:max_terms]
    deepest = max(max(depths), 10)
    found: dict[int, list[list[str]]] = {depth: [] for depth in depths}
    wanted: list[set[str]] = []
    timings: dict[int, list[float]] = {depth: [] for depth in depths if depth}
    for chunk in progress(chunks(terms, 256), len(terms), show_progress):
        searcher.prime(chunk)
        for term in chunk:
            hits = searcher.search(term, None, deepest)
            scores: list[float] = []
            for depth in sorted(timings):  # each depth scored (and timed) as search would
                start = time.perf_counter()
                scores = model.score(term, hits[:depth], settings.rrf_k).tolist()
                timings[depth].append((time.perf_counter() - start) * 1000)
            for depth in depths:
                ranked = reorder(hits, scores[:depth]) if depth > 1 else hits
                found[depth].append([hit.product.id for hit in ranked[:10]])
            wanted.append(eval_ids(data.relevant[term]))
    rows = []
    for depth in depths:
        times = timings.get(depth, [0.0])
        rows.append(
            {
                "depth": depth,
                "recall@5": round(recall_at_k(wanted, found[depth], 5), 4),
                "recall@10": round(recall_at_k(wanted, found[depth], 10), 4),
                "mrr@10": round(mrr(first_relevant_ranks(wanted, found[depth]), 10), 4),
                "p50_ms": round(float(np.percentile(times, 50)), 1),
                "p95_ms": round(float(np.percentile(times, 95)), 1),
            }
        )
    return {
        "input": str(path),
        "products": len(data.titles),
        "search_terms": len(terms),
        "ranker": model.trained_on,
        "depths": rows,
    }


def write_reranking_report(result: dict[str, Any], folder: Path) -> Path:
    """``reranking.json``, and ``reranking.md`` and ``reranking.png`` (quality and latency
    against N) in ``folder``; returns the PNG."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reranking.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = result["depths"]
    depths = [row["depth"] for row in rows]
    plot = Plot(
        f"Re-ranking depth, {result['search_terms']} held-out search terms",
        lines={m: (depths, [row[m] for row in rows]) for m in ("recall@5", "recall@10", "mrr@10")},
        right={"p95 ms": (depths, [row["p95_ms"] for row in rows])},
        xlabel="candidates re-ranked (0 = retrieval order)",
        ylabel="quality",
        right_label="ranker p95 latency (ms)",
    )
    return write_report(folder / "reranking", "Re-ranking depth", result, plot).with_suffix(".png")
