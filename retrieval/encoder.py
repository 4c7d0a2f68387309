"""The sentence encoder of the dense side: the shipped MiniLM, mean-pooled and L2-normalised.

One LangChain ``Embeddings`` for documents and queries, so both live in one vector space:

- documents (ingestion, batches of queries) run through torch, each distinct text once, sorted by
  token count so a batch carries little padding, in bfloat16 weights on CPUs with native
  bfloat16 matrix units (AMX / AVX512-BF16: much faster than float32, with near-identical
  vectors); batches run on one thread per core, each with one torch thread (torch's own
  two-thread operations hand work between cores at every step, which is slow on busy cores);
- one query runs through ONNX Runtime on one thread: the same float32 weights, exported once
  into ``cache_dir``, several times faster than torch for a single short text.

docs/retrieval.md ("The store", "Speed") has the measurements behind each choice.

Nothing heavy is imported until the first text is embedded.
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.encoder_export import export_path

if TYPE_CHECKING:
    import onnxruntime
    import torch
    from tokenizers import Encoding, Tokenizer

Precision = Literal["auto", "float32", "bfloat16"]
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
T = TypeVar("T")


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Sentence vectors: token states averaged over the attention mask, then unit length."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def native_bfloat16() -> bool:
    """Whether the CPU multiplies bfloat16 matrices natively (else bfloat16 is emulated, slower)."""
    import torch

    return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())


class MiniLMEncoder(Embeddings):
    """Embeds product texts and queries with a sentence-transformers MiniLM folder."""

    def __init__(
        self,
        model_path: str,
        cache_dir: Path,
        precision: Precision = "auto",
        batch_size: int = 128,
        workers: int | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.cache_dir = cache_dir
        self.precision = precision
        self.batch_size = batch_size
        self.workers = workers or min(len(os.sched_getaffinity(0)), 8)
        self._lock = threading.Lock()  # first loads of the model and of the ONNX session
        self._encoding = threading.Lock()  # one encode() at a time: it sets torch's threads

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        config = json.loads((self.model_path / "sentence_bert_config.json").read_text())
        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(int(config["max_seq_length"]))
        return tokenizer

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        (encoding,) = self._tokenizer.encode_batch([text])
        features = _features([encoding])
        (hidden,) = self._session().run(["last_hidden_state"], features)
        return mean_pool(hidden, features["attention_mask"])[0].tolist()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (float32, one row per text), embedded in batches with torch.

        Batches run on ``workers`` threads with one torch thread each (torch releases the GIL);
        while they run, torch's thread count is 1 for the whole process.
        """
        distinct = list(dict.fromkeys(texts))
        if not distinct:
            return np.zeros((0, 0), dtype=np.float32)
        self._model  # noqa: B018 -- loaded before the worker threads start
        step = -(-len(distinct) // self.workers)
        with self._encoding, _torch_threads(1), ThreadPoolExecutor(self.workers) as pool:
            parts = pool.map(self._tokenizer.encode_batch, _slices(distinct, step))
            encodings = [encoding for part in parts for encoding in part]
            order = sorted(range(len(distinct)), key=lambda i: len(encodings[i].ids))
            chunks = list(_slices(order, self.batch_size))
            batches = pool.map(
                lambda rows: self._torch_embed(_features([encodings[i] for i in rows])), chunks
            )
            vectors = np.zeros((len(distinct), 0), dtype=np.float32)
            for rows, batch in zip(chunks, batches, strict=True):
                if not vectors.size:
                    vectors = np.zeros((len(distinct), batch.shape[1]), dtype=np.float32)
                vectors[rows] = batch
        row_of = {text: row for row, text in enumerate(distinct)}
        return vectors[[row_of[text] for text in texts]]

    def _torch_embed(self, features: dict[str, np.ndarray]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            hidden = self._model(**{k: torch.from_numpy(v) for k, v in features.items()})
        return mean_pool(hidden.last_hidden_state.float().numpy(), features["attention_mask"])

    @cached_property
    def _model(self) -> torch.nn.Module:
        """The torch model of document batches: bfloat16 weights where chosen, else float32.

        Whole-model bfloat16 needs less CPU than float32 weights under bfloat16 autocast, which
        casts at every operation; the vectors are equally close to float32 either way
        (docs/retrieval.md).
        """
        import torch
        from transformers import AutoModel

        with self._lock:
            model = AutoModel.from_pretrained(str(self.model_path)).eval()
        if self.precision == "bfloat16" or (self.precision == "auto" and native_bfloat16()):
            model = model.to(torch.bfloat16)
        return model

    def _session(self) -> onnxruntime.InferenceSession:
        with self._lock:
            return self._onnx

    @cached_property
    def _onnx(self) -> onnxruntime.InferenceSession:
        import onnxruntime as ort

        path = export_path(self.model_path, self.cache_dir)
        if not path.exists():
            self._export(path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def _export(self, path: Path) -> None:
        """Export the float32 model to ONNX (written aside, then renamed: no reader sees half)."""
        import torch
        from transformers import AutoModel

        class HiddenStates(torch.nn.Module):  # the graph's one output: the last hidden states
            def __init__(self) -> None:
                super().__init__()
                self.model = AutoModel.from_pretrained(
                    str(model_path), attn_implementation="eager"
                ).eval()

            def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
                return self.model(**dict(zip(INPUT_NAMES, inputs, strict=True))).last_hidden_state

        model_path = self.model_path
        sample = _features(self._tokenizer.encode_batch(["a short example"]))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with warnings.catch_warnings():  # the tracer's notes on shapes it treats as constants
            warnings.simplefilter("ignore")
            torch.onnx.export(
                HiddenStates(),
                tuple(torch.from_numpy(sample[name]) for name in INPUT_NAMES),
                str(partial),
                dynamo=False,  # the dynamo exporter needs onnxscript, which is not shipped
                input_names=list(INPUT_NAMES),
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES},
                opset_version=17,
            )
        partial.replace(path)


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    """Torch's intra-op thread count set to ``count`` for the block (it is process-wide)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _slices(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``items`` of at most ``size``."""
    return (items[start : start + size] for start in range(0, len(items), size))


def _features(encodings: Sequence[Encoding]) -> dict[str, np.ndarray]:
    """Model inputs of tokenised texts, padded to the longest (pad id 0, mask 0)."""
    width = max(len(e.ids) for e in encodings)
    features = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in INPUT_NAMES}
    for row, encoding in enumerate(encodings):
        length = len(encoding.ids)
        features["input_ids"][row, :length] = encoding.ids
        features["attention_mask"][row, :length] = 1
        features["token_type_ids"][row, :length] = encoding.type_ids
    return features
