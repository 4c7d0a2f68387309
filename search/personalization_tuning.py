"""``aisle profiles tune``: fit the personal ranking weights on Instacart train users.

Each (train user, aisle query) gives the candidates personal search chooses from; a candidate is
positive when it is in the user's target order. A logistic regression over the ranking features
gives the weights, scaled so that ``relevance`` stays 1. Instacart has no brands, prices or
rejections, so those weights keep their defaults.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.settings import Settings
from profiles.ranking import RankingWeights, feature_values
from retrieval.schema import Filters
from search.personalization_evaluation import prepare, track
from search.pipeline import candidates

LEARNED = ("relevance", "bought", "category", "aisle")


def tune(orders_path: Path, settings: Settings, show_progress: bool = False) -> RankingWeights:
    """Fit the weights on the train users of ``orders_path`` and save them to the models folder."""
    from sklearn.linear_model import LogisticRegression

    features, labels = [], []
    with prepare(orders_path, settings, "train", show_progress) as prepared:
        searcher = prepared.searcher
        queries = sorted({(case.user_id, case.query) for case in prepared.cases})
        searcher.prime(sorted({query for _, query in queries}))
        for user, query in track(queries, "candidates", show_progress):
            profile = prepared.profiles[user]
            found = candidates(
                searcher, query, Filters(), profile, settings.personalization_depth, settings
            )
            for rank, hit in enumerate(found, start=1):
                values = feature_values(rank, hit.product, profile)
                features.append([values[name] for name in LEARNED])
                labels.append(hit.product.id in prepared.targets[user])
    model = LogisticRegression(max_iter=1000).fit(np.array(features), np.array(labels))
    coefficients = dict(zip(LEARNED, model.coef_[0], strict=True))
    scale = coefficients["relevance"]
    learned = {name: round(float(value / scale), 3) for name, value in coefficients.items()}
    weights = RankingWeights(**{**RankingWeights().model_dump(), **learned})
    weights.save(settings)
    return weights
