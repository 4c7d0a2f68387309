"""The fine-tuned sentiment classifier: negative / neutral / positive with a calibrated score.

Cheap to import (no torch); ``SentimentModel.load()`` on first use. The Rasa NLU component
(Python 3.10, no torch) uses ``models.onnx_runtime.OnnxModel`` on the same folder directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.settings import Settings, get_settings
from models.artifacts import current_folder, read_manifest
from models.backends import SequenceModel, batched_logits, load_backend
from models.onnx_runtime import margin_labels, softmax

NAME = "sentiment"
LABELS = ("negative", "neutral", "positive")


class SentimentModel:
    """Classifies short texts; scores are temperature-calibrated probabilities. With all three
    labels allowed, negative or positive must lead neutral by ``neutral_margin``."""

    def __init__(
        self,
        model: SequenceModel,
        folder: Path,
        backend: str,
        temperature: float,
        neutral_margin: float = 0.0,
    ) -> None:
        self.model, self.folder, self.backend = model, folder, backend
        self.temperature, self.neutral_margin = temperature, neutral_margin
        self.labels = LABELS

    @classmethod
    def load(cls, settings: Settings | None = None, backend: str | None = None) -> SentimentModel:
        """The current trained model, with ``backend`` or the setting (``auto``: the backend
        chosen at training time). Raises ArtifactError if it is missing or corrupt."""
        settings = settings or get_settings()
        folder = current_folder(settings.models_dir, NAME)
        inference = read_manifest(folder, [])["inference"]
        backend = backend or settings.model_backend
        if backend == "auto":
            backend = inference["default_backend"]
        model = load_backend(folder, backend, settings.model_threads)
        margin = float(inference.get("neutral_margin", 0.0))
        return cls(model, folder, backend, float(inference["temperature"]), margin)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in ``self.labels`` order."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return softmax(batched_logits(self.model, list(texts)), self.temperature)

    def predict(self, texts: list[str], allowed: Sequence[str] = LABELS) -> list[tuple[str, float]]:
        """(label, probability) per text. ``allowed`` restricts the choice (e.g. to negative and
        positive for a binary task); the probabilities are then renormalised over it. The
        neutral margin applies whenever neutral is allowed."""
        columns = [self.labels.index(label) for label in allowed]
        probs = self.probabilities(texts)[:, columns]
        probs = probs / probs.sum(axis=1, keepdims=True)
        best = margin_labels(probs, allowed, self.neutral_margin)
        return [(allowed[b], float(p[b])) for b, p in zip(best, probs, strict=True)]
