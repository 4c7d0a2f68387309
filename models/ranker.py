"""The fine-tuned cross-encoder ranker: relevance of product texts to a shopper's query.

Loading is lazy and cheap to import (no torch at import time); the action server calls
``Ranker.load()`` on first use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.settings import Settings, get_settings
from models.artifacts import current_folder, read_manifest
from models.backends import SequenceModel, batched_logits, load_backend

NAME = "ranker"


class Ranker:
    """Scores (query, text) pairs; higher is more relevant (a predicted relevance in 0..1)."""

    def __init__(self, model: SequenceModel, folder: Path, backend: str) -> None:
        self.model, self.folder, self.backend = model, folder, backend

    @classmethod
    def load(cls, settings: Settings | None = None, backend: str | None = None) -> Ranker:
        """The current trained ranker, with ``backend`` or the setting (``auto``: the backend
        chosen at training time). Raises ArtifactError if it is missing or corrupt."""
        settings = settings or get_settings()
        folder = current_folder(settings.models_dir, NAME)
        backend = backend or settings.model_backend
        if backend == "auto":
            backend = read_manifest(folder, [])["inference"]["default_backend"]
        return cls(load_backend(folder, backend, settings.model_threads), folder, backend)

    def score(self, query: str, texts: list[str]) -> list[float]:
        """Relevance of each text to ``query``, in the order given."""
        return self.score_pairs([query] * len(texts), texts)

    def score_pairs(self, queries: list[str], texts: list[str]) -> list[float]:
        """Relevance of each (query, text) pair; batched, for evaluation."""
        logits = batched_logits(self.model, list(zip(queries, texts, strict=True)))
        # float64, so that strong matches stay distinct instead of all rounding to 1.0
        return (1 / (1 + np.exp(-logits[:, 0].astype(np.float64)))).tolist() if len(logits) else []
