"""Re-ranking search hits with the second-stage ranker: order, depth, fallbacks, trained file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from models.ranker_stage import FEATURES, SHIPPED, StageWeights, features
from models.ranker_stage_training import fit
from retrieval.schema import Product, SearchHit
from retrieval.search import get_searcher
from search.pipeline import ranked_search
from search.reranking import rerank, stage_weights


def hits(*titles: str) -> list[SearchHit]:
    return [
        SearchHit(product=Product(id=f"p{i}", title=title), score=1 / (60 + i), cosine=0.5)
        for i, title in enumerate(titles, start=1)
    ]


def ids(found: list[SearchHit]) -> list[str]:
    return [hit.product.id for hit in found]


def weights_on(feature: str) -> StageWeights:
    coef = tuple(1.0 if name == feature else 0.0 for name in FEATURES)
    return StageWeights(mean=(0.0,) * len(FEATURES), scale=(1.0,) * len(FEATURES), coef=coef)


def test_the_first_depth_hits_are_ordered_by_the_ranker_and_the_rest_follow():
    found = rerank(
        "green tea",
        hits("coffee", "tea cup", "green tea", "green tea bags"),
        3,
        weights_on("coverage"),
    )
    assert ids(found) == ["p3", "p2", "p1", "p4"]


def test_ties_keep_the_retrieval_order():
    assert ids(rerank("soap", hits("a", "b", "c"), 3, weights_on("coverage"))) == ["p1", "p2", "p3"]


@pytest.mark.parametrize(("depth", "query"), [(0, "soap"), (1, "soap"), (5, " ")])
def test_no_depth_or_no_query_keeps_the_retrieval_order(depth, query):
    assert ids(rerank(query, hits("x", "soap", "y"), depth, weights_on("coverage"))) == [
        "p1",
        "p2",
        "p3",
    ]


def test_the_shipped_weights_prefer_what_retrieval_and_the_head_word_agree_on():
    found = rerank("face wash", hits("hand wash", "face cream", "face wash gel"), 3, SHIPPED)
    assert ids(found)[0] == "p3"


def test_features_read_the_head_product_before_its_modifiers():
    rows = features("shampoo for dry hair", hits("dry hair oil", "mild shampoo"))
    last_head = FEATURES.index("last_head_word")
    assert rows[:, last_head].tolist() == [0.0, 1.0]


def test_fit_learns_from_pairs_which_feature_marks_the_relevant_candidate():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(30):
        x = rng.normal(size=(6, len(FEATURES)))
        y = (x[:, 2] > 0).astype(float)  # feature 2 decides
        groups.append((x, y))
    weights = fit(groups)
    assert int(np.argmax(np.abs(weights.coef))) == 2 and weights.coef[2] > 0


def test_a_trained_file_is_used_from_the_next_search_on(tmp_path):
    settings = Settings(_env_file=None, state_dir=tmp_path)
    assert stage_weights(settings) == SHIPPED
    weights_on("coverage").save(settings)
    assert stage_weights(settings) == weights_on("coverage")


def test_ranked_search_reranks_the_first_candidates_of_the_real_search(
    shared_catalogue: tuple[Settings, Path],
) -> None:
    """Over a real catalogue store: the ``rerank_candidates`` best hits are retrieved and the
    trained weights' best of them come first; with re-ranking off, retrieval order stands."""
    catalogue, _ = shared_catalogue
    searcher = get_searcher(catalogue)
    retrieved = searcher.search("green tea", None, 8)
    assert len(retrieved) == 8
    last_first = weights_on("inverse_rank")
    last_first = StageWeights(last_first.mean, last_first.scale, tuple(-c for c in last_first.coef))
    last_first.save(catalogue)  # retrieval order reversed: an order retrieval never gives
    settings = catalogue.model_copy(update={"rerank_candidates": 8})
    found = ranked_search(searcher, "green tea", None, 3, settings)
    assert ids(found) == ids(retrieved[::-1][:3])
    settings = catalogue.model_copy(update={"rerank_candidates": 0})
    assert ranked_search(searcher, "green tea", None, 3, settings) == retrieved[:3]
