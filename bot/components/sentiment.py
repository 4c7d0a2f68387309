"""Annotate every user message with its sentiment, in Rasa's NLU pipeline.

The fine-tuned classifier runs through ONNX Runtime and ``tokenizers`` (``models/onnx_runtime``,
written to run in this Python 3.10 environment). Its folder is found when the Rasa model is
loaded, from the environment (``AISLE_STATE_DIR`` -> ``models/sentiment/current``), never stored
in the Rasa model: retraining sentiment needs no Rasa retraining, only a restart. Without a
usable artifact every message is neutral and one warning says why; Rasa keeps working.

The result is ``message.data["sentiment"] = {"label", "score", "probabilities"}``, which Rasa
copies into the parse data: the tracker's ``latest_message``, seen by actions and policies.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.base import REPO_ROOT, Component
from models.artifacts import ArtifactError, current_folder, read_manifest
from models.onnx_runtime import margin_labels

if TYPE_CHECKING:
    from models.onnx_runtime import OnnxModel

logger = logging.getLogger(__name__)

SENTIMENT = "sentiment"
NEUTRAL = {
    "label": "neutral",
    "score": 1.0,
    "probabilities": {"negative": 0.0, "neutral": 1.0, "positive": 0.0},
}


def model_folder() -> Path:
    """The current sentiment model's folder under the configured state folder."""
    state_dir = Path(os.environ.get("AISLE_STATE_DIR") or REPO_ROOT / "var")
    return current_folder(state_dir / "models", "sentiment")


def open_model(threads: int) -> OnnxModel | None:
    """The ONNX model (the backend chosen at training when it is an ONNX one), or None with
    one warning when there is no usable artifact."""
    try:
        from models.onnx_runtime import ONNX_FILES, OnnxModel

        folder = model_folder()
        backend = read_manifest(folder, [])["inference"].get("default_backend", "onnx-int8")
        model = OnnxModel(folder, backend if backend in ONNX_FILES else "onnx-int8", threads)
    except (ArtifactError, ImportError, KeyError, OSError) as error:
        logger.warning("Sentiment model unavailable, every message counts as neutral: %s", error)
        return None
    logger.info("Sentiment model %s (%s)", folder, backend)
    return model


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SentimentAnnotator(Component):
    """Adds ``sentiment`` {label, score, probabilities} to each message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # One thread: a single short message gains nothing from more, and Rasa shares the CPU.
        return {"threads": 1}

    def __init__(self, model: OnnxModel | None) -> None:
        self.model = model

    @classmethod
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> SentimentAnnotator:
        return cls(open_model(int(config["threads"])))

    def annotate(self, texts: list[str]) -> list[dict[str, Any]]:
        """Sentiment of each text: the label (the most probable one, neutral unless another leads
        it by the model's calibrated margin), its probability, all of them."""
        if self.model is None:
            return [NEUTRAL for _ in texts]
        labels = self.model.labels
        probabilities = self.model.probabilities(texts)
        chosen = margin_labels(probabilities, labels, self.model.neutral_margin)
        results = []
        for row, best in zip(probabilities, chosen, strict=True):
            results.append(
                {
                    "label": labels[int(best)],
                    "score": round(float(row[best]), 4),
                    "probabilities": {
                        label: round(float(p), 4) for label, p in zip(labels, row, strict=True)
                    },
                }
            )
        return results

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m.get(TEXT) or "" for m in messages]
        for message, sentiment in zip(messages, self.annotate(texts), strict=True):
            message.set(SENTIMENT, sentiment, add_to_output=True)
        return messages
