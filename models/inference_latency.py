"""Inference latency of every backend on the current models (``aisle bench models``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from core.settings import Settings
from models.artifacts import current_folder, read_manifest
from models.backends import BACKENDS, latency_ms, load_backend
from models.onnx_runtime import TextInput

# The two cases with a latency target (README, "Measured figures"): rerank 50 candidates and
# classify one message.
CASES: dict[str, tuple[str, list[TextInput]]] = {
    "ranker": (
        "rerank 50",
        [
            ("cordless drill", f"DEWALT 20-Volt MAX Lithium-Ion Drill/Driver Kit {i}")
            for i in range(50)
        ],
    ),
    "sentiment": ("classify 1", ["these are all ugly and way too expensive"]),
}


def benchmark(settings: Settings, repeats: int = 200) -> list[dict[str, Any]]:
    """One row per (model, backend): p50/p95 milliseconds and whether it is the default."""
    rows = []
    for name, (case, inputs) in CASES.items():
        folder = current_folder(settings.models_dir, name)
        default = read_manifest(folder, [])["inference"]["default_backend"]
        for backend in BACKENDS:
            model = load_backend(folder, backend, settings.model_threads)
            timing = latency_ms(partial(model.logits, inputs), repeats)
            rows.append(
                {
                    "model": name,
                    "case": case,
                    "backend": backend,
                    **timing,
                    "default": backend == default,
                }
            )
    return rows
