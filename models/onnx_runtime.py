"""Run an exported Aisle model with ONNX Runtime and ``tokenizers`` only (no torch).

This is the inference path shared by the action server and the Rasa NLU component, which runs
in the Python 3.10 environment: keep it to numpy, onnxruntime, tokenizers and the standard
library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

import numpy as np

from models.artifacts import ArtifactError, read_manifest

# A single text, or a (query, document) pair for a cross-encoder.
TextInput = Union[str, tuple[str, str]]  # noqa: UP007 - Python 3.10 runtime alias

ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def margin_labels(probs: np.ndarray, labels: Sequence[str], margin: float = 0.0) -> np.ndarray:
    """Per row, the index of the most probable label, except that a label other than
    "neutral" must lead the neutral probability by more than ``margin`` (calibrated on the
    shopper dev turns at training: a plain request is not read as an emotion on a small lead).
    Without a neutral column, or with ``margin`` 0, this is the argmax."""
    best = probs.argmax(axis=1)
    if "neutral" not in labels or margin <= 0:
        return best
    neutral = list(labels).index("neutral")
    lead = probs[np.arange(len(probs)), best] - probs[:, neutral]
    return np.where(lead > margin, best, neutral)


class OnnxModel:
    """An exported sequence model (classifier or cross-encoder) from its version folder."""

    def __init__(self, folder: Path, backend: str = "onnx-int8", threads: int = 2) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if backend not in ONNX_FILES:
            raise ValueError(f"backend must be one of {sorted(ONNX_FILES)}, not {backend!r}")
        folder = Path(folder)
        self.manifest: dict[str, Any] = read_manifest(
            folder, [ONNX_FILES[backend], "tokenizer.json"]
        )
        self.inference: dict[str, Any] = self.manifest["inference"]
        self.labels: list[str] = list(self.inference.get("labels", []))
        self.temperature: float = float(self.inference.get("temperature", 1.0))
        self.neutral_margin: float = float(self.inference.get("neutral_margin", 0.0))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(self.inference["max_length"]))
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(
                str(folder / ONNX_FILES[backend]), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ArtifactError(f"{folder / ONNX_FILES[backend]} does not load: {exc}") from exc
        self._inputs = {i.name for i in self.session.get_inputs()}

    def logits(self, inputs: Sequence[TextInput]) -> np.ndarray:
        """Raw model outputs, one row per input."""
        if not inputs:
            return np.zeros((0, int(self.inference["outputs"])), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(inputs))
        features = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (out,) = self.session.run(
            ["logits"], {k: v for k, v in features.items() if k in self._inputs}
        )
        return out

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated class probabilities (columns in ``self.labels`` order) for a classifier."""
        return softmax(self.logits(texts), self.temperature)
