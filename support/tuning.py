"""Fit the flagging weights (support/flagging.py's WEIGHTS and BIAS) on the train-split dialogues.

``python -m support.tuning [--per-source N]`` prints the fitted values; the sentiment weights
and the bias are copied into flagging.py by hand, rounded, so that a change of weights is a
reviewed code change (the other signals are rare in these sets; their weights are policy). The
fit is
an L2 logistic regression on the signals, each source weighted equally and classes balanced
within it, on dialogues whose sentiment the classifier was trained on (the dev split stays for
measuring).
"""

from __future__ import annotations

import argparse
import random

import numpy as np

from core.settings import get_settings
from support.dev_dialogues import airline_dialogues, redial_dialogues
from support.evaluation import to_turns
from support.flagging import WEIGHTS, annotate, signals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-source", type=int, default=600, help="dialogues per source")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    from models.sentiment import SentimentModel

    settings = get_settings()
    model = SentimentModel.load(settings)
    rows = []
    for source in (redial_dialogues, airline_dialogues):
        pool = list(source(settings.data_dir, "train"))
        rows += random.Random(7).sample(pool, min(args.per_source, len(pool)))
    dialogues = [to_turns(r) for r in rows]
    flat = iter(annotate([t for d in dialogues for t in d], model.probabilities))
    features = np.array(
        [list(signals([next(flat) for _ in d]).values()) for d in dialogues], dtype=float
    )
    labels = np.array([r["label"] for r in rows])
    sources = np.array([r["id"].split("-")[0] for r in rows])
    weight = np.ones(len(rows))
    for source in set(sources):
        for label in (0, 1):
            mask = (sources == source) & (labels == label)
            weight[mask] = 1.0 / max(1, mask.sum())
    weight *= len(rows) / weight.sum()  # mean 1, so that C means the same for any sample size
    fit = LogisticRegression(C=1.0, max_iter=1000).fit(features, labels, sample_weight=weight)
    print({name: round(float(w), 2) for name, w in zip(WEIGHTS, fit.coef_[0], strict=True)})
    print("BIAS", round(float(fit.intercept_[0]), 2))


if __name__ == "__main__":
    main()
