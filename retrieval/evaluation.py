"""Retrieval evaluation on Home Depot-format relevance pairs: BM25 vs dense vs hybrid recall@k.

Protocol (issue 3): the catalogue is every product title in the file; for each search term with at
least one product rated >= 2.5, recall@k is the share of those products among the top k
retrieved from the whole catalogue; the figure is the mean over search terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.evaluation import InputError, read_pairs
from core.metrics import recall_at_k
from core.settings import Settings
from retrieval.ingest import upsert_with_progress
from retrieval.schema import Product
from retrieval.search import HybridSearcher
from retrieval.store import ProductStore

RELEVANT = 2.5
METHODS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class RelevanceSet:
    """Titles by product uid, and the relevant product uids of each search term."""

    titles: dict[str, str]
    relevant: dict[str, set[str]]


def read_relevance_set(path: Path) -> RelevanceSet:
    """The titles and relevant products of a Home Depot-format CSV (InputError if it has no
    search term with a product rated >= 2.5)."""
    titles: dict[str, str] = {}
    relevant: dict[str, set[str]] = defaultdict(set)
    for pair in read_pairs(path):
        titles.setdefault(pair.product_uid, pair.product_title)
        if pair.search_term and pair.relevance is not None and pair.relevance >= RELEVANT:
            relevant[pair.search_term].add(pair.product_uid)
    if not relevant:
        raise InputError(f"{path}: no search term has a product rated >= {RELEVANT}")
    return RelevanceSet(titles, dict(relevant))


def eval_ids(uids: Iterable[str]) -> set[str]:
    """The eval catalogue's product ids of Home Depot product uids."""
    return {f"hd-{uid}" for uid in uids}


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def progress(chunks: Iterator[list[str]], total: int, show: bool) -> Iterator[list[str]]:
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
    data = read_relevance_set(path)
    searcher = title_searcher(data, workdir, settings, show_progress)
    terms = sorted(data.relevant)[:max_terms]
    found: dict[str, list[list[str]]] = {method: [] for method in METHODS}
    rankings = {"bm25": searcher.lexical, "dense": searcher.dense}
    for chunk in progress(chunks(terms, 256), len(terms), show_progress):
        searcher.prime(chunk)
        for term in chunk:
            for method, rank in rankings.items():
                found[method].append([p.id for p in rank(term, None, k)])
            found["hybrid"].append([hit.product.id for hit in searcher.search(term, None, k)])
    wanted = [eval_ids(data.relevant[term]) for term in terms]
    return {
        "input": str(path),
        "products": len(data.titles),
        "search_terms": len(terms),
        "k": k,
        **{
            f"{method}_recall@{k}": round(recall_at_k(wanted, ids, k), 4)
            for method, ids in found.items()
        },
    }
