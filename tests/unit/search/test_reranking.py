"""Re-ranking search hits with the ranker: order, depth, fallbacks (a stand-in ranker; the
trained one runs in tests/integration)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.settings import Settings
from retrieval.schema import Product, SearchHit
from retrieval.search import get_searcher
from search import pipeline
from search.pipeline import ranked_search
from search.reranking import get_ranker, ranker_text, rerank_by_model


class ScoreByTitle:
    """Scores a text by the number in it: 'p7' scores 7."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def score(self, query: str, texts: list[str]) -> list[float]:
        self.calls.append((query, texts))
        return [float(text.rsplit("p", 1)[1]) for text in texts]


def hits(*numbers: int) -> list[SearchHit]:
    return [SearchHit(product=Product(id=f"p{n}", title=f"p{n}"), score=0.0) for n in numbers]


def ids(found: list[SearchHit]) -> list[str]:
    return [hit.product.id for hit in found]


def test_the_first_depth_hits_are_ordered_by_the_ranker_and_the_rest_follow():
    ranker = ScoreByTitle()
    found = rerank_by_model("soap", hits(1, 5, 3, 9, 2, 8), depth=4, ranker=ranker)
    assert ids(found) == ["p9", "p5", "p3", "p1", "p2", "p8"]
    assert ranker.calls == [("soap", ["p1", "p5", "p3", "p9"])]


def test_ties_keep_the_retrieval_order():
    class Constant:
        def score(self, query: str, texts: list[str]) -> list[float]:
            return [0.5] * len(texts)

    assert ids(rerank_by_model("soap", hits(4, 2, 7), depth=3, ranker=Constant())) == [
        "p4",
        "p2",
        "p7",
    ]


@pytest.mark.parametrize(
    ("depth", "ranker", "query"), [(0, ScoreByTitle(), "soap"), (5, None, "soap"), (5, None, " ")]
)
def test_no_depth_no_ranker_or_no_query_keeps_the_retrieval_order(depth, ranker, query):
    assert ids(rerank_by_model(query, hits(1, 3, 2), depth, ranker)) == ["p1", "p3", "p2"]


def test_the_ranker_reads_the_brand_when_the_title_lacks_it():
    assert ranker_text(Product(id="a", title="Shampoo", brand="Dove")) == "Dove Shampoo"
    assert ranker_text(Product(id="b", title="Dove Shampoo", brand="dove")) == "Dove Shampoo"
    assert ranker_text(Product(id="c", title="Shampoo")) == "Shampoo"


def test_a_missing_ranker_is_logged_once_and_search_goes_on(tmp_path, caplog):
    settings = Settings(_env_file=None, state_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="search.reranking"):
        assert get_ranker(settings) is None
        assert get_ranker(settings) is None
    assert len([r for r in caplog.records if "aisle train ranker" in r.getMessage()]) == 1


def test_ranked_search_reranks_the_first_candidates_of_the_real_search(
    shared_catalogue: tuple[Settings, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a real catalogue store: the ``rerank_candidates`` best hits are retrieved and the
    ranker's best of them come first; with re-ranking off the ranker is not even loaded."""

    class ShortestTitle:
        def score(self, query: str, texts: list[str]) -> list[float]:
            return [-float(len(text)) for text in texts]

    loaded = []

    def load(settings: Settings) -> ShortestTitle:
        loaded.append(1)
        return ShortestTitle()

    monkeypatch.setattr(pipeline, "get_ranker", load)
    catalogue, _ = shared_catalogue
    searcher = get_searcher(catalogue)
    retrieved = searcher.search("green tea", None, 8)
    assert len(retrieved) == 8
    expected = sorted(retrieved, key=lambda hit: len(ranker_text(hit.product)))[:3]
    settings = catalogue.model_copy(update={"rerank_candidates": 8})
    assert ids(ranked_search(searcher, "green tea", None, 3, settings)) == ids(expected)
    assert loaded == [1]
    settings = catalogue.model_copy(update={"rerank_candidates": 0})
    assert ranked_search(searcher, "green tea", None, 3, settings) == retrieved[:3]
    assert loaded == [1]  # re-ranking off: the ranker is not even loaded
