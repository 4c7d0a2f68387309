"""Re-ranking search hits with the second-stage ranker: order, depth, fallbacks, the trees'
numpy scoring against scikit-learn's, trained file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from models.ranker_stage import FEATURES, SHIPPED_FILE, StageModel, features, shipped
from models.ranker_stage_training import TreeConfig, export, fit
from retrieval.schema import Product, SearchHit
from retrieval.search import get_searcher
from search.pipeline import ranked_search
from search.reranking import rerank, stage_model


def hits(*titles: str) -> list[SearchHit]:
    return [
        SearchHit(product=Product(id=f"p{i}", title=title), score=1 / (60 + i), cosine=0.5)
        for i, title in enumerate(titles, start=1)
    ]


def ids(found: list[SearchHit]) -> list[str]:
    return [hit.product.id for hit in found]


def model_on(feature: str, cuts: tuple[float, ...], sign: float = 1.0) -> StageModel:
    """One tree that scores ``sign`` x (how many of ``cuts`` the feature is above): a chain of
    splits, highest cut first, each with a leaf on its right."""
    index = FEATURES.index(feature)
    size = 2 * len(cuts) + 1
    feature_row, threshold, value = np.full(size, index), np.zeros(size), np.zeros(size)
    left, right = np.arange(size), np.arange(size)
    for i, cut in enumerate(sorted(cuts, reverse=True)):
        node = 2 * i
        threshold[node], left[node], right[node] = cut, node + 2, node + 1
        value[node + 1] = sign * (len(cuts) - i)
    return StageModel(
        feature=feature_row[None, :],
        threshold=threshold[None, :],
        left=left[None, :],
        right=right[None, :],
        value=value[None, :],
        depth=len(cuts),
    )


COVERAGE = model_on("coverage", (0.25, 0.75))


def test_the_first_depth_hits_are_ordered_by_the_ranker_and_the_rest_follow():
    candidates = hits("coffee", "tea cup", "green tea", "green tea bags")
    found = rerank("green tea", candidates, 3, COVERAGE)
    assert ids(found) == ["p3", "p2", "p1", "p4"]


def test_ties_keep_the_retrieval_order():
    assert ids(rerank("soap", hits("a", "b", "c"), 3, COVERAGE)) == ["p1", "p2", "p3"]


@pytest.mark.parametrize(("depth", "query"), [(0, "soap"), (1, "soap"), (5, " ")])
def test_no_depth_or_no_query_keeps_the_retrieval_order(depth, query):
    assert ids(rerank(query, hits("x", "soap", "y"), depth, COVERAGE)) == ["p1", "p2", "p3"]


def test_the_shipped_model_prefers_what_retrieval_and_the_head_word_agree_on():
    found = rerank("face wash", hits("hand wash", "face cream", "face wash gel"), 3, shipped())
    assert ids(found)[0] == "p3"


def test_the_shipped_model_is_small_and_for_the_current_features():
    assert SHIPPED_FILE.stat().st_size < 300_000
    assert shipped().features == FEATURES


def test_features_read_the_head_product_before_its_modifiers():
    rows = features("shampoo for dry hair", hits("dry hair oil", "mild shampoo"))
    last_head = FEATURES.index("last_head_word")
    assert rows[:, last_head].tolist() == [0.0, 1.0]


def test_features_tolerate_misspellings_and_read_numbers():
    rows = features("shampooo 200 ml", hits("Shampoo 200 ml", "Conditioner 100 ml"))
    fuzzy, numbers = FEATURES.index("fuzzy_coverage"), FEATURES.index("number_coverage")
    assert rows[0, fuzzy] > rows[1, fuzzy]
    assert rows[:, numbers].tolist() == [1.0, 0.0]


def test_the_exported_trees_score_exactly_as_scikit_learn_does():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 3] + 0.5 * x[:, 7] ** 2 > 0.4).astype(int)
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0)
    model.fit(x, y)
    test = rng.normal(size=(50, len(FEATURES)))
    np.testing.assert_allclose(export(model).predict(test), model.decision_function(test))


def test_fit_learns_which_feature_marks_the_relevant_candidate():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(60):
        x = rng.normal(size=(8, len(FEATURES)))
        groups.append((x, (x[:, 2] > 0.3).astype(float)))  # feature 2 decides
    model = fit(groups, TreeConfig(trees=30, min_leaf=5))
    test = rng.normal(size=(200, len(FEATURES)))
    scores = model.predict(test)
    assert scores[test[:, 2] > 0.3].min() > scores[test[:, 2] <= 0.3].max()


def test_a_trained_file_is_used_from_the_next_search_on(tmp_path):
    settings = Settings(_env_file=None, state_dir=tmp_path)
    assert stage_model(settings) is shipped()
    COVERAGE.save(StageModel.path(settings))
    assert stage_model(settings).to_json() == COVERAGE.to_json()


def test_ranked_search_reranks_the_first_candidates_of_the_real_search(
    shared_catalogue: tuple[Settings, Path],
) -> None:
    """Over a real catalogue store: the ``rerank_candidates`` best hits are retrieved and the
    trained model's best of them come first; with re-ranking off, retrieval order stands."""
    catalogue, _ = shared_catalogue
    searcher = get_searcher(catalogue)
    retrieved = searcher.search("green tea", None, 8)
    assert len(retrieved) == 8
    cuts = tuple(1 / (rank + 0.5) for rank in range(1, 8))  # between 1/1, 1/2, ..., 1/8
    last_first = model_on("inverse_rank", cuts, sign=-1.0)
    last_first.save(StageModel.path(catalogue))  # an order retrieval never gives
    settings = catalogue.model_copy(update={"rerank_candidates": 8})
    found = ranked_search(searcher, "green tea", None, 3, settings)
    assert ids(found) == ids(retrieved[::-1][:3])
    settings = catalogue.model_copy(update={"rerank_candidates": 0})
    assert ranked_search(searcher, "green tea", None, 3, settings) == retrieved[:3]
