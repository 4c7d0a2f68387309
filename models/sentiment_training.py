"""``aisle train sentiment``: fine-tune a MiniLM classifier on reviews, tweets and dialogues."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from transformers import PreTrainedTokenizerBase

from core.metrics import accuracy
from core.settings import Settings
from models.backends import SequenceModel, batched_logits
from models.data.sentiment_corpus import read_corpus, split_corpus
from models.data.sentiment_text import LabelledText
from models.data.shopper_chat import SOURCE as SHOPPER
from models.onnx_runtime import margin_labels, softmax
from models.sentiment import LABELS, NAME
from models.training import fine_tune_and_save, start_run

# Share of each training batch drawn from each source; within a source, labels are balanced.
# "requests" (CLINC150, neutral only) teaches that a plain request is not a complaint;
# "shopper" (templates over the catalogues) that a refinement ("not Dove", "cheaper", "less than
# 150") is not one either, and what a shopper's complaint, sarcasm and praise look like.
SOURCE_WEIGHTS = {
    "amazon": 0.2,
    "clothing": 0.18,
    "airline": 0.14,
    "redial": 0.12,
    "requests": 0.08,
    "shopper": 0.28,
}


@dataclass(frozen=True)
class SentimentConfig:
    """Hyper-parameters (all six MiniLM layers: one message stays well within its latency
    target; docs/models.md)."""

    layers: int = 6
    max_length: int = 64
    batch_size: int = 32
    steps: int = 1200
    batches_per_epoch: int = 200
    learning_rate: float = 5e-5
    label_smoothing: float = 0.05
    dev_fraction: float = 0.1
    seed: int = 13
    budget_minutes: float | None = None
    dev_limit_per_source: int | None = None
    backend_check_per_source: int = 600
    frozen_word_embeddings: bool = True


QUICK = SentimentConfig(
    steps=4,
    batch_size=8,
    batches_per_epoch=4,
    budget_minutes=None,
    dev_limit_per_source=12,
    backend_check_per_source=12,
)


def mixed_batches(
    texts: list[LabelledText], config: SentimentConfig
) -> Callable[[int], list[list[LabelledText]]]:
    """Per epoch, ``batches_per_epoch`` batches' worth of texts sampled (seeded by epoch) by
    source weight, then uniformly over the source's labels, then within the label; batched by
    length (less padding: a review sentence is often three times a title) in shuffled order."""
    pools: dict[str, dict[str, list[LabelledText]]] = defaultdict(lambda: defaultdict(list))
    for text in texts:
        pools[text.source][text.label].append(text)
    sources = [s for s in SOURCE_WEIGHTS if s in pools]
    weights = [SOURCE_WEIGHTS[s] for s in sources]

    def epoch_batches(epoch: int) -> list[list[LabelledText]]:
        rng = random.Random(config.seed * 1000 + epoch)
        sample = []
        for source in rng.choices(sources, weights, k=config.batches_per_epoch * config.batch_size):
            by_label = pools[source]
            sample.append(rng.choice(by_label[rng.choice(sorted(by_label))]))
        sample.sort(key=lambda t: len(t.text))
        size = config.batch_size
        batches = [sample[i : i + size] for i in range(0, len(sample), size)]
        rng.shuffle(batches)
        return batches

    return epoch_batches


def classification_loss(
    tokenizer: PreTrainedTokenizerBase, config: SentimentConfig
) -> Callable[[torch.nn.Module, list[LabelledText]], torch.Tensor]:
    """Cross-entropy with light label smoothing (sentence labels inherit the review's stars)."""

    def loss(model: torch.nn.Module, batch: list[LabelledText]) -> torch.Tensor:
        features = tokenizer(
            [t.text for t in batch],
            padding=True,
            truncation=True,
            max_length=config.max_length,
            return_token_type_ids=True,
            return_tensors="pt",
        )
        logits = model(**features.to(model.device))
        target = torch.tensor([LABELS.index(t.label) for t in batch], device=logits.device)
        return F.cross_entropy(logits, target, label_smoothing=config.label_smoothing)

    return loss


def binary_predictions(logits: np.ndarray) -> list[str]:
    """Negative or positive, ignoring the neutral column (the binary evaluation rule)."""
    neg, pos = LABELS.index("negative"), LABELS.index("positive")
    return ["positive" if row[pos] >= row[neg] else "negative" for row in logits]


def per_source(texts: list[LabelledText], limit: int | None) -> list[LabelledText]:
    """At most ``limit`` texts of each source, in a seeded order (all when ``limit`` is None)."""
    out = []
    for source in SOURCE_WEIGHTS:
        items = [t for t in texts if t.source == source]
        random.Random(source).shuffle(items)
        out += items[:limit] if limit else items
    return out


def polar(texts: list[LabelledText]) -> list[LabelledText]:
    """The negative and positive texts (the binary evaluation set)."""
    return [t for t in texts if t.label != "neutral"]


def mean_source_accuracy(texts: list[LabelledText]) -> Callable[[SequenceModel], float]:
    """Backend selection criterion: binary accuracy averaged over sources."""

    def quality(model: SequenceModel) -> float:
        predicted = binary_predictions(batched_logits(model, [t.text for t in texts]))
        by_source = defaultdict(list)
        for text, label in zip(texts, predicted, strict=True):
            by_source[text.source].append(text.label == label)
        return float(np.mean([np.mean(v) for v in by_source.values()]))

    return quality


def fit_temperature(logits: np.ndarray, labels: list[str]) -> float:
    """The temperature minimising the negative log-likelihood on dev (grid search)."""
    target = np.array([LABELS.index(label) for label in labels])

    def nll(t: float) -> float:
        probs = softmax(logits, t)[np.arange(len(target)), target]
        return float(-np.mean(np.log(probs + 1e-12)))

    grid = np.exp(np.linspace(np.log(0.25), np.log(8), 120))
    return float(min(grid, key=nll))


def fit_neutral_margin(probs: np.ndarray, labels: list[str]) -> float:
    """The margin by which negative or positive must lead neutral (``margin_labels``) that
    maximises 3-class accuracy on these dev texts (grid 0.00–0.90; the smallest of equals)."""
    target = np.array([LABELS.index(label) for label in labels])
    scores = {
        float(m): float(np.mean(margin_labels(probs, LABELS, float(m)) == target))
        for m in np.round(np.arange(0, 0.91, 0.05), 2)
    }
    return max(scores, key=lambda m: (scores[m], -m))


def expected_calibration_error(probs: np.ndarray, labels: list[str], bins: int = 10) -> float:
    """ECE of the top-label probability (equal-width bins)."""
    target = np.array([LABELS.index(label) for label in labels])
    confidence, predicted = probs.max(axis=1), probs.argmax(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            gap = abs(np.mean(predicted[inside] == target[inside]) - confidence[inside].mean())
            ece += inside.mean() * gap
    return float(ece)


def dev_metrics(texts: list[LabelledText], logits: np.ndarray, temperature: float) -> dict:
    """Binary accuracy per source and per kind, 3-class accuracy where neutral exists, ECE."""
    binary = binary_predictions(logits)
    three = [LABELS[i] for i in logits.argmax(axis=1)]
    out: dict[str, object] = {}
    for source in SOURCE_WEIGHTS:
        idx = [i for i, t in enumerate(texts) if t.source == source]
        polar_idx = [i for i in idx if texts[i].label != "neutral"]
        row: dict[str, object] = {"polar_texts": len(polar_idx)}
        if polar_idx:  # "requests" holds neutral texts only
            row["binary_accuracy"] = round(
                accuracy([texts[i].label for i in polar_idx], [binary[i] for i in polar_idx]), 4
            )
        for kind in sorted({texts[i].kind for i in polar_idx}):
            k_idx = [i for i in polar_idx if texts[i].kind == kind]
            row[f"binary_accuracy_{kind}s"] = round(
                accuracy([texts[i].label for i in k_idx], [binary[i] for i in k_idx]), 4
            )
        if any(texts[i].label == "neutral" for i in idx):
            row["three_class_accuracy"] = round(
                accuracy([texts[i].label for i in idx], [three[i] for i in idx]), 4
            )
        out[source] = row
    labels = [t.label for t in texts]
    out["ece_before_calibration"] = round(expected_calibration_error(softmax(logits), labels), 4)
    out["ece_after_calibration"] = round(
        expected_calibration_error(softmax(logits, temperature), labels), 4
    )
    out["temperature"] = round(temperature, 3)
    return out


def train_sentiment(
    settings: Settings,
    quick: bool = False,
    budget_minutes: float | None = None,
    fresh: bool = False,
) -> Path:
    """Train, calibrate and evaluate on dev, export and publish; returns the version folder."""
    config = start_run(settings, SentimentConfig(), QUICK, quick, budget_minutes)
    train, dev = split_corpus(read_corpus(settings.data_dir), config.dev_fraction, config.seed)
    dev = per_source(dev, config.dev_limit_per_source)

    inference = {
        "task": "classification",
        "max_length": config.max_length,
        "labels": list(LABELS),
        "outputs": len(LABELS),
        "temperature": 1.0,
    }
    trained = fine_tune_and_save(
        settings,
        NAME,
        config,
        quick=quick,
        fresh=fresh,
        pooling="mean",
        outputs=len(LABELS),
        epoch_batches=mixed_batches(train, config),
        loss_for=lambda tokenizer: classification_loss(tokenizer, config),
        inference=inference,
        pairs=False,
        quality=mean_source_accuracy(polar(per_source(dev, config.backend_check_per_source))),
        repeats=200,
        frozen_word_embeddings=config.frozen_word_embeddings,
    )
    logits = batched_logits(trained.backend, [t.text for t in dev])
    temperature = fit_temperature(logits, [t.label for t in dev])
    # The neutral margin is fitted on the shopper dev turns (whole templates held out), the
    # chat turns the label is for.
    shopper = [i for i, t in enumerate(dev) if t.source == SHOPPER]
    shopper_probs = softmax(logits[shopper], temperature)
    shopper_labels = [dev[i].label for i in shopper]
    margin = fit_neutral_margin(shopper_probs, shopper_labels) if shopper else 0.0
    metrics = dev_metrics(dev, logits, temperature) | {
        "dev_texts": len(dev),
        "train_texts": len(train),
        "neutral_margin": margin,
    }
    if shopper:
        chosen = margin_labels(shopper_probs, LABELS, margin)
        metrics[SHOPPER]["three_class_accuracy_with_margin"] = round(
            accuracy(shopper_labels, [LABELS[i] for i in chosen]), 4
        )
    counts = Counter(f"{t.source}/{t.label}" for t in train)
    card = (
        "Aisle sentiment classifier (MiniLM)",
        "negative / neutral / positive for chat turns and review sentences, with a "
        "temperature-calibrated probability; `models.sentiment.SentimentModel`, or "
        "`models.onnx_runtime.OnnxModel` where only onnxruntime and tokenizers exist.",
        f"From `{settings.data_dir}`: Amazon multi-domain reviews and women's clothing reviews "
        "(titles and sentences, labelled from the review's stars: 1–2 negative, 4–5 positive, "
        "3 dropped), airline tweets (crowd labels), ReDial user turns (mean satisfaction rounded: "
        "1–2 negative, 3 neutral, 4–5 positive), CLINC150 assistant requests (all neutral), "
        "shopper chat turns from the project's own templates over the catalogues' product "
        "types and brands (models/data/shopper_chat.py). "
        "Each source's reviews/dialogues (CLINC: intents) are split "
        f"{1 - config.dev_fraction:.0%}/{config.dev_fraction:.0%} train/dev with seed "
        f"{config.seed}. Training texts: {dict(sorted(counts.items()))}. Binary accuracy ignores "
        "the neutral column (argmax of negative vs positive). With all three labels, negative "
        f"or positive must lead neutral by more than {margin:.2f} (fitted on the shopper dev "
        "turns).",
    )
    inference |= {"temperature": temperature, "neutral_margin": margin}
    return trained.publish(card, config, metrics, inference)
