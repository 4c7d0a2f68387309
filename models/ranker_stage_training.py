"""``aisle train ranker-stage``: fit the second-stage re-ranker (``models/ranker_stage.py``) on
hybrid retrieval's candidates for the Home Depot training terms, hard negatives included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.settings import Settings
from models.ranker_stage import FEATURES, StageModel, features


@dataclass(frozen=True)
class TreeConfig:
    """The boosted trees' size and learning (chosen on the training terms' own validation
    split; see docs/models.md)."""

    trees: int = 150
    leaves: int = 15
    learning_rate: float = 0.08
    min_leaf: int = 40
    seed: int = 13


def export(model: Any, trained_on: str = "") -> StageModel:
    """A fitted scikit-learn ``HistGradientBoostingClassifier`` as flat arrays (binary model:
    its decision function, whose order is its probabilities' order)."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    width = max(len(nodes) for nodes in trees)
    shape = (len(trees), width)
    feature, left, right = (np.zeros(shape, dtype=np.intp) for _ in range(3))
    threshold, value = np.zeros(shape), np.zeros(shape)
    for t, nodes in enumerate(trees):
        own = np.arange(len(nodes))
        leaf = nodes["is_leaf"].astype(bool)
        feature[t, : len(nodes)] = np.where(leaf, 0, nodes["feature_idx"])
        threshold[t, : len(nodes)] = np.where(leaf, 0.0, nodes["num_threshold"])
        left[t, : len(nodes)] = np.where(leaf, own, nodes["left"])
        right[t, : len(nodes)] = np.where(leaf, own, nodes["right"])
        value[t, : len(nodes)] = np.where(leaf, nodes["value"], 0.0)
    depth = int(max(nodes["depth"].max() for nodes in trees))
    return StageModel(
        feature=feature,
        threshold=threshold,
        left=left,
        right=right,
        value=value,
        depth=depth,
        base=float(np.ravel(model._baseline_prediction)[0]),
        trained_on=trained_on,
    )


def fit(
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    config: TreeConfig = TreeConfig(),
    trained_on: str = "",
) -> StageModel:
    """Boosted trees on each query's (features, 0/1 labels), every query weighted equally
    (a query with 20 candidates counts as much as one with 5)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    kept = [(x, y) for x, y in groups if y.any() and not y.all()]
    if not kept:
        raise ValueError("no query has both a relevant and an irrelevant candidate")
    x = np.vstack([x for x, _ in kept])
    y = np.concatenate([y for _, y in kept])
    weights = np.concatenate([np.full(len(y), 1.0 / len(y)) for _, y in kept])
    model = HistGradientBoostingClassifier(
        max_iter=config.trees,
        max_leaf_nodes=config.leaves,
        learning_rate=config.learning_rate,
        min_samples_leaf=config.min_leaf,
        early_stopping=False,
        random_state=config.seed,
    )
    model.fit(x, y, sample_weight=weights * len(kept))
    return export(model, trained_on)


def train_stage(
    settings: Settings, depth: int = 20, max_terms: int | None = None, show_progress: bool = False
) -> dict[str, Any]:
    """Mine hybrid candidates for the Home Depot training terms, fit, save; returns a summary."""
    from core.evaluation import read_pairs
    from models.data.home_depot import split_pairs, train_file
    from models.ranker_training import RankerConfig
    from retrieval.evaluation import chunks, eval_ids, progress, read_relevance_set, title_searcher

    path = train_file(settings.data_dir)
    data = read_relevance_set(path)
    workdir = settings.state_dir / "eval-retrieval" / path.name
    searcher = title_searcher(data, workdir, settings, show_progress)
    config = RankerConfig()
    train, _ = split_pairs(read_pairs(path), config.dev_fraction, config.seed)
    trained = {pair.search_term for pair in train}
    terms = [term for term in sorted(data.relevant) if term in trained][:max_terms]
    groups = []
    for chunk in progress(chunks(terms, 256), len(terms), show_progress):
        searcher.prime(chunk)
        for term in chunk:
            hits = searcher.search(term, None, depth)
            wanted = eval_ids(data.relevant[term])
            labels = np.array([hit.product.id in wanted for hit in hits], dtype=float)
            groups.append((features(term, hits, settings.rrf_k), labels))
    source = f"{len(terms)} Home Depot training terms, first {depth} hybrid hits"
    model = fit(groups, trained_on=source)
    saved = model.save(StageModel.path(settings))
    return {
        "terms": len(terms),
        "depth": depth,
        "saved": str(saved),
        "trees": int(model.feature.shape[0]),
        "features": list(FEATURES),
    }
