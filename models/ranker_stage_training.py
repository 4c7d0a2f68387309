"""``aisle train ranker-stage``: fit the second-stage re-ranker (``models/ranker_stage.py``) on
hybrid retrieval's candidates for the Home Depot training terms, hard negatives included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from core.settings import Settings
from models.ranker_stage import StageWeights, features


def fit(groups: Sequence[tuple[np.ndarray, np.ndarray]], c: float = 1.0) -> StageWeights:
    """Pairwise logistic regression: for each query's (features, 0/1 labels), every
    (relevant, not relevant) pair of its candidates is one example of their difference."""
    from sklearn.linear_model import LogisticRegression

    stacked = np.vstack([x for x, _ in groups])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0)
    scale[scale == 0] = 1.0
    diffs = []
    for x, y in groups:
        z = (x - mean) / scale
        pos, neg = z[y > 0], z[y == 0]
        if len(pos) and len(neg):
            diffs.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, z.shape[1]))
    if not diffs:
        raise ValueError("no query has both a relevant and an irrelevant candidate")
    d = np.vstack(diffs)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=1000)
    model.fit(np.vstack([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))])
    return StageWeights(
        mean=tuple(mean.round(6)), scale=tuple(scale.round(6)), coef=tuple(model.coef_[0].round(6))
    )


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
    fitted = fit(groups)
    source = f"{len(terms)} Home Depot training terms, first {depth} hybrid hits"
    weights = StageWeights(fitted.mean, fitted.scale, fitted.coef, trained_on=source)
    saved = weights.save(settings)
    return {"terms": len(terms), "depth": depth, "saved": str(saved), **asdict(weights)}
