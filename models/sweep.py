"""Recipe sweep: dev quality of the ranker and the sentiment model over training budgets,
depths, heads and learning rates, with the project's own readers, splits, batches, losses and
loop. Meant for a GPU machine (a CPU works, slowly); docs/models.md has the figures.

    python -m models.sweep OUT_DIR [RUN ...]   # one JSON line per run, also in OUT_DIR/sweep.jsonl

Runs are named ``r<layers>-<steps>[-mean][-lr1e4]`` (ranker) and ``s6-<steps>[-len128]``
(sentiment); without names, the sweep of docs/models.md runs. Nothing is saved but the metrics.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoTokenizer

from core.evaluation import read_pairs
from core.metrics import ndcg_at_k, pairwise_accuracy
from core.settings import Settings
from models.data.home_depot import split_pairs, train_file
from models.data.sentiment_corpus import read_corpus, split_corpus
from models.network import PooledModel
from models.ranker_training import RankerConfig, query_batches, ranking_loss, relevance_of
from models.sentiment_training import (
    SOURCE_WEIGHTS,
    SentimentConfig,
    binary_predictions,
    classification_loss,
    mixed_batches,
    polar,
)
from models.training import Batch, LoopConfig, run_loop, seed_everything

DEFAULT_RUNS = (
    "r3-700 s6-500 r3-2500 s6-2500 r6-2500 s6-6000 r3-6000 r3-2000-mean r6-2000-lr1e4".split()
)


def parse_run(name: str) -> tuple[str, dict[str, Any]]:
    """('ranker' | 'sentiment', config overrides) of a run name such as ``r6-2000-lr1e4``;
    ``pooling`` among the overrides is the head's, the others are configuration fields."""
    kind, steps, *options = name.split("-")
    overrides: dict[str, Any] = {"steps": int(steps), "layers": int(kind[1:])}
    if kind[0] == "s":
        overrides |= {"batches_per_epoch": int(steps)}
    for option in options:
        if option == "mean":
            overrides["pooling"] = "mean"
        elif option.startswith("lr"):
            overrides["learning_rate"] = float(option[2:].replace("e", "e-"))
        elif option.startswith("len"):
            overrides["max_length"] = int(option[3:])
        else:
            raise ValueError(f"unknown option {option!r} in run {name!r}")
    return ("ranker" if kind[0] == "r" else "sentiment"), overrides


class Sweep:
    """Trains and evaluates named runs on one device, appending results to a JSONL file."""

    def __init__(self, settings: Settings, out: Path) -> None:
        self.settings, self.out = settings, out
        self.device = settings.training_device()
        self.encoder = settings.encoder_path()
        self.tokenizer = AutoTokenizer.from_pretrained(self.encoder)
        config = RankerConfig()
        self.pairs = split_pairs(
            read_pairs(train_file(settings.data_dir)), config.dev_fraction, config.seed
        )
        self.texts = split_corpus(read_corpus(settings.data_dir), SentimentConfig().dev_fraction)

    def run(self, name: str) -> dict[str, object]:
        """Train the run from the base encoder and return (and log) its dev metrics."""
        kind, overrides = parse_run(name)
        pooling = overrides.pop("pooling", None)
        if kind == "ranker":
            ranker = replace(RankerConfig(), **overrides)
            model = self._model(pooling or "pair", 1, ranker.layers, ranker.seed)
            train_s = self._train(
                model,
                query_batches(self.pairs[0], ranker.batch_size, ranker.seed),
                ranking_loss(self.tokenizer, ranker),
                ranker,
                name,
            )
            metrics = self._ranker_dev(model, ranker)
        else:
            sentiment = replace(SentimentConfig(), **overrides)
            model = self._model(pooling or "mean", 3, sentiment.layers, sentiment.seed)
            train_s = self._train(
                model,
                mixed_batches(self.texts[0], sentiment),
                classification_loss(self.tokenizer, sentiment),
                sentiment,
                name,
            )
            metrics = self._sentiment_dev(model, sentiment)
        row: dict[str, object] = {"run": name, "train_s": train_s, **metrics}
        with (self.out / "sweep.jsonl").open("a") as f:
            f.write(json.dumps(row) + "\n")
        return row

    def _model(self, pooling: str, outputs: int, layers: int, seed: int) -> PooledModel:
        """A fresh seeded model from the base encoder, on the sweep's device."""
        seed_everything(seed)
        model = PooledModel.from_base(self.encoder, pooling, outputs, layers)
        return model.float().to(self.device)

    def _train(
        self,
        model: PooledModel,
        batches: Callable[[int], Sequence[Batch]],
        loss: Callable[[torch.nn.Module, Batch], torch.Tensor],
        config: RankerConfig | SentimentConfig,
        name: str,
    ) -> float:
        """Train ``model``; the seconds it took."""
        loop = LoopConfig(config.steps, config.learning_rate, config.seed, checkpoint_every=10**9)
        start = time.monotonic()
        run_loop(model, batches, loss, loop, self.out / f".work-{name}", name)
        return round(time.monotonic() - start, 1)

    @torch.no_grad()
    def _logits(
        self, model: PooledModel, first: list[str], second: list[str] | None, max_length: int
    ) -> np.ndarray:
        order = sorted(range(len(first)), key=lambda i: len(first[i]))
        out = np.zeros((len(first), model.head.out_features), dtype=np.float32)
        for start in range(0, len(order), 512):
            idx = order[start : start + 512]
            features = self.tokenizer(
                [first[i] for i in idx],
                [second[i] for i in idx] if second else None,
                padding=True,
                truncation=True,
                max_length=max_length,
                return_token_type_ids=True,
                return_tensors="pt",
            )
            out[idx] = model(**features.to(self.device)).float().cpu().numpy()
        return out

    def _ranker_dev(self, model: PooledModel, config: RankerConfig) -> dict[str, object]:
        dev = self.pairs[1]
        groups, relevance = [p.search_term for p in dev], relevance_of(dev)
        titles = [p.product_title for p in dev]
        scores = self._logits(model, groups, titles, config.max_length)[:, 0].tolist()
        return {
            "pairwise_accuracy": round(pairwise_accuracy(groups, relevance, scores), 4),
            "ndcg@10": round(ndcg_at_k(groups, relevance, scores, k=10), 4),
        }

    def _sentiment_dev(self, model: PooledModel, config: SentimentConfig) -> dict[str, object]:
        dev = polar(self.texts[1])
        logits = self._logits(model, [t.text for t in dev], None, config.max_length)
        predicted = binary_predictions(logits)
        row: dict[str, object] = {}
        for source in SOURCE_WEIGHTS:
            idx = [i for i, t in enumerate(dev) if t.source == source]
            if not idx:  # a source without polar texts ("requests")
                continue
            row[source] = round(float(np.mean([predicted[i] == dev[i].label for i in idx])), 4)
        return row


def main(argv: list[str]) -> None:
    """``python -m models.sweep OUT_DIR [RUN ...]``."""
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    sweep = Sweep(Settings(), out)
    for name in argv[1:] or DEFAULT_RUNS:
        print(json.dumps(sweep.run(name)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
