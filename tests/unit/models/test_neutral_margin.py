"""The neutral margin: negative or positive only when it leads neutral by more than the margin
fitted on the shopper dev turns, in the action server's model and in the training fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.onnx_runtime import margin_labels
from models.sentiment import LABELS, SentimentModel
from models.sentiment_training import fit_neutral_margin

# negative leads neutral by 0.05, by 0.6; positive leads by 0.2; neutral first
PROBS = np.array([[0.45, 0.40, 0.15], [0.75, 0.15, 0.10], [0.10, 0.35, 0.55], [0.2, 0.5, 0.3]])


def test_a_small_lead_over_neutral_reads_neutral() -> None:
    assert [LABELS[i] for i in margin_labels(PROBS, LABELS, 0.0)] == [
        "negative", "negative", "positive", "neutral"
    ]  # fmt: skip
    assert [LABELS[i] for i in margin_labels(PROBS, LABELS, 0.1)] == [
        "neutral", "negative", "positive", "neutral"
    ]  # fmt: skip
    assert [LABELS[i] for i in margin_labels(PROBS, LABELS, 0.3)] == [
        "neutral", "negative", "neutral", "neutral"
    ]  # fmt: skip


def test_without_a_neutral_column_the_margin_does_not_apply() -> None:
    polar = PROBS[:, [0, 2]]
    assert list(margin_labels(polar, ("negative", "positive"), 0.3)) == [0, 0, 1, 1]


class FixedLogits:
    def logits(self, inputs: list) -> np.ndarray:
        return np.log(PROBS[: len(inputs)])


def test_the_model_applies_its_margin_to_three_labels_but_not_to_a_binary_choice() -> None:
    model = SentimentModel(FixedLogits(), Path("v1"), "onnx", 1.0, neutral_margin=0.1)
    texts = ["a", "b", "c", "d"]
    three = model.predict(texts)
    assert [label for label, _ in three] == ["neutral", "negative", "positive", "neutral"]
    assert abs(three[0][1] - 0.40) < 1e-6  # the score is the chosen label's probability
    binary = model.predict(texts, ("negative", "positive"))
    assert [label for label, _ in binary] == ["negative", "negative", "positive", "positive"]


def test_the_fitted_margin_is_the_smallest_that_keeps_plain_turns_neutral() -> None:
    # neutral turns whose polar label leads by up to 0.28, polar turns leading by 0.6
    neutral = [[0.5, 0.22, 0.28], [0.2, 0.3, 0.5], [0.3, 0.6, 0.1]]
    polar = [[0.75, 0.15, 0.10], [0.10, 0.15, 0.75]]
    probs = np.array(neutral + polar)
    labels = ["neutral"] * 3 + ["negative", "positive"]
    assert fit_neutral_margin(probs, labels) == 0.3
    assert fit_neutral_margin(probs[3:], labels[3:]) == 0.0
