"""Inference backends for an exported model folder, and how the default one is chosen.

``torch`` (eager), ``torch-int8`` (dynamic int8 quantisation of the Linear layers), ``onnx`` and
``onnx-int8`` (ONNX Runtime, fp32 and dynamically quantised). torch is imported only when a torch
backend is loaded, so importing this module is cheap.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from models.artifacts import ArtifactError, read_manifest
from models.onnx_runtime import ONNX_FILES, OnnxModel, TextInput

BACKENDS = ("torch", "torch-int8", "onnx", "onnx-int8")
TORCH_DIR = "torch"
TORCH_FILES = [
    f"{TORCH_DIR}/{name}"
    for name in ("config.json", "model.safetensors", "head.safetensors", "head.json")
] + ["tokenizer.json"]


class SequenceModel(Protocol):
    """What every backend offers: raw logits for texts or (query, text) pairs."""

    def logits(self, inputs: list[TextInput]) -> np.ndarray: ...


class TorchModel:
    """The saved PyTorch model, optionally int8-quantised (Linear layers) at load time."""

    def __init__(self, folder: Path, quantized: bool = False, threads: int = 2) -> None:
        import torch
        from transformers import PreTrainedTokenizerFast

        from models.network import PooledModel

        self.manifest: dict[str, Any] = read_manifest(folder, TORCH_FILES)
        torch.set_num_threads(threads)
        try:
            model = PooledModel.load(folder / TORCH_DIR)
        except Exception as exc:  # transformers raises many types for a bad checkpoint
            raise ArtifactError(f"{folder / TORCH_DIR} does not load: {exc}") from exc
        if quantized:
            model = torch.ao.quantization.quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8
            )
        self.model, self.outputs = model, int(self.manifest["inference"]["outputs"])
        self.tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
        self.max_length = int(self.manifest["inference"]["max_length"])
        self._torch = torch

    def logits(self, inputs: list[TextInput]) -> np.ndarray:
        """Raw model outputs, one row per input."""
        if not inputs:
            return np.zeros((0, self.outputs), dtype=np.float32)
        pairs = isinstance(inputs[0], tuple)
        first = [i[0] for i in inputs] if pairs else list(inputs)
        second = [i[1] for i in inputs] if pairs else None
        features = self.tokenizer(
            first,
            second,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_token_type_ids=True,
            return_tensors="pt",
        )
        with self._torch.inference_mode():
            return self.model(**features).float().numpy()


def load_backend(folder: Path, backend: str, threads: int = 2) -> SequenceModel:
    """Open ``folder`` with the named backend."""
    if backend in ONNX_FILES:
        return OnnxModel(folder, backend, threads)
    if backend in ("torch", "torch-int8"):
        return TorchModel(folder, backend == "torch-int8", threads)
    raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")


def batched_logits(model: SequenceModel, inputs: list[TextInput], batch: int = 64) -> np.ndarray:
    """Logits of many inputs, in batches of similar length (less padding)."""
    order = sorted(range(len(inputs)), key=lambda i: len(str(inputs[i])))
    out: list[np.ndarray] = [np.empty(0)] * len(inputs)
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        for i, row in zip(idx, model.logits([inputs[i] for i in idx]), strict=True):
            out[i] = row
    return np.stack(out) if out else np.zeros((0, 1))


def latency_ms(fn: Callable[[], object], repeats: int = 50) -> dict[str, float]:
    """p50 and p95 wall time of ``fn`` in milliseconds, after two warm-up calls."""
    fn()
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
    }


# Backends whose dev quality is this close count as equal: about one standard error of accuracy
# on the check sets (docs/models.md, "Design choices (measured)").
QUALITY_TOLERANCE = 0.01


def compare_backends(
    folder: Path,
    quality: Callable[[SequenceModel], float],
    latency_case: list[TextInput],
    threads: int = 2,
    tolerance: float = QUALITY_TOLERANCE,
    repeats: int = 50,
) -> tuple[list[dict[str, Any]], str]:
    """Measure every backend's dev quality and latency on ``latency_case``; return the table
    and the fastest backend (by p95) whose quality is within ``tolerance`` of the best."""
    table: list[dict[str, Any]] = []
    for backend in BACKENDS:
        model = load_backend(folder, backend, threads)
        row: dict[str, Any] = {"backend": backend, "quality": round(quality(model), 4)}
        row |= latency_ms(partial(model.logits, latency_case), repeats)
        table.append(row)
    best = max(r["quality"] for r in table)
    eligible = [r for r in table if r["quality"] >= best - tolerance]
    return table, min(eligible, key=lambda r: r["p95_ms"])["backend"]
