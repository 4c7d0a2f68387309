"""The MiniLM encoder: one vector space for its torch (documents) and ONNX (query) paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from retrieval.encoder import MiniLMEncoder
from retrieval.encoder_export import ENCODER_CACHE, export_path

TEXTS = [
    "Tulsi Green Tea - 25 bags | Tata | Beverages > Tea > Green Tea",
    "Anti-Dandruff Shampoo - 200 ml | Dove | Beauty & Hygiene > Hair Care",
    "rice",
    "Tulsi Green Tea - 25 bags | Tata | Beverages > Tea > Green Tea",
]


@pytest.fixture(scope="module")
def model_path() -> str:
    return Settings(_env_file=None).encoder_path()


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_documents_and_queries_share_one_space(model_path: str, precision: str) -> None:
    encoder = MiniLMEncoder(model_path, ENCODER_CACHE, precision)  # type: ignore[arg-type]
    documents = encoder.encode(TEXTS)
    queries = np.array([encoder.embed_query(text) for text in TEXTS], dtype=np.float32)
    assert documents.shape == (4, 384) and documents.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(documents, axis=1), 1.0, atol=1e-5)
    assert (documents * queries).sum(axis=1).min() > 0.999  # same text, same vector
    assert np.array_equal(documents[0], documents[3])  # a repeated text is embedded once
    assert documents[0] @ documents[1] < 0.9  # different texts stay apart
    # alone, without the padding of a longer neighbour: the same vector up to rounding
    np.testing.assert_allclose(encoder.embed_documents(TEXTS[2:3]), documents[2:3], atol=2e-3)
    assert encoder.encode([]).shape[0] == 0


def test_onnx_export_is_cached_by_model_fingerprint(model_path: str) -> None:
    encoder = MiniLMEncoder(model_path, ENCODER_CACHE)
    encoder.embed_query("warm")
    exported = export_path(Path(model_path))
    written = exported.stat().st_mtime_ns
    again = MiniLMEncoder(model_path, ENCODER_CACHE)
    assert again.embed_query("tea") == encoder.embed_query("tea")
    assert exported.stat().st_mtime_ns == written  # reused, not exported again


def test_parallel_batches_give_the_same_vectors_and_restore_torch_threads(
    model_path: str,
) -> None:
    import torch

    texts = [f"{word} {i}" for i, word in enumerate(["tea", "green tea bags", "rice"] * 7)]
    one = MiniLMEncoder(model_path, ENCODER_CACHE, "float32", batch_size=4, workers=1)
    two = MiniLMEncoder(model_path, ENCODER_CACHE, "float32", batch_size=4, workers=2)
    threads = torch.get_num_threads()
    np.testing.assert_allclose(two.encode(texts), one.encode(texts), atol=1e-5)
    assert torch.get_num_threads() == threads
