"""``aisle train ranker``: fine-tune a MiniLM cross-encoder on Home Depot search relevance."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from transformers import PreTrainedTokenizerBase

from core.evaluation import RelevancePair, read_pairs
from core.metrics import ndcg_at_k, pairwise_accuracy
from core.settings import Settings
from models.backends import SequenceModel, batched_logits
from models.data.home_depot import split_pairs, train_file
from models.data.splits import dev_groups
from models.ranker import NAME
from models.training import fine_tune_and_save, start_run


@dataclass(frozen=True)
class RankerConfig:
    """Hyper-parameters. Three of MiniLM's six layers: the 50-candidate latency target on two
    cores rules out the full depth (see docs/models.md)."""

    layers: int = 3
    max_length: int = 48
    batch_size: int = 32
    steps: int = 2000
    learning_rate: float = 4e-5
    pointwise_weight: float = 0.25
    dev_fraction: float = 0.15
    seed: int = 13
    budget_minutes: float | None = None
    train_limit: int | None = None
    dev_limit: int | None = None
    backend_check_fraction: float = 0.25  # of the dev search terms, to compare backends


QUICK = RankerConfig(steps=4, batch_size=8, train_limit=64, dev_limit=48)


def query_batches(
    pairs: list[RelevancePair], batch_size: int, seed: int
) -> Callable[[int], list[list[RelevancePair]]]:
    """Per epoch, whole search terms shuffled (seeded by epoch) and packed into batches of about
    ``batch_size`` pairs, so that the pairwise loss compares products of the same query."""
    by_term: dict[str, list[RelevancePair]] = defaultdict(list)
    for pair in pairs:
        by_term[pair.search_term].append(pair)
    terms = sorted(by_term)

    def epoch_batches(epoch: int) -> list[list[RelevancePair]]:
        order = terms[:]
        random.Random(seed * 1000 + epoch).shuffle(order)
        batches, current = [], []
        for term in order:
            current.extend(by_term[term][:batch_size])
            if len(current) >= batch_size:
                batches.append(current)
                current = []
        return batches + ([current] if current else [])

    return epoch_batches


def ranking_loss(
    tokenizer: PreTrainedTokenizerBase, config: RankerConfig
) -> Callable[[torch.nn.Module, list[RelevancePair]], torch.Tensor]:
    """RankNet on same-query pairs weighted by their relevance gap (the dev metric is pairwise),
    plus a lightly weighted BCE on relevance scaled to 0..1 (keeps scores comparable across
    queries without letting the mean relevance dominate the gradient)."""

    def loss(model: torch.nn.Module, batch: list[RelevancePair]) -> torch.Tensor:
        features = tokenizer(
            [p.search_term for p in batch],
            [p.product_title for p in batch],
            padding=True,
            truncation=True,
            max_length=config.max_length,
            return_token_type_ids=True,
            return_tensors="pt",
        )
        scores = model(**features.to(model.device))[:, 0]
        relevance = torch.tensor(relevance_of(batch), device=scores.device)
        pointwise = F.binary_cross_entropy_with_logits(scores, (relevance - 1) / 2)
        terms = [p.search_term for p in batch]
        same = torch.tensor([[a == b for b in terms] for a in terms], device=scores.device)
        gap = relevance[:, None] - relevance[None, :]
        mask = same & (gap > 0.3)
        if not mask.any():
            return config.pointwise_weight * pointwise
        margins = (scores[:, None] - scores[None, :])[mask]
        pairwise = (F.softplus(-margins) * gap[mask]).sum() / gap[mask].sum()
        return pairwise + config.pointwise_weight * pointwise

    return loss


def relevance_of(pairs: list[RelevancePair]) -> list[float]:
    """Each pair's relevance; only rated pairs (the training file's) can be trained or scored."""
    rated = [p.relevance for p in pairs if p.relevance is not None]
    if len(rated) != len(pairs):
        raise ValueError("unrated pairs have no relevance to train on or score against")
    return rated


def dev_quality(pairs: list[RelevancePair]) -> Callable[[SequenceModel], float]:
    """Dev pairwise accuracy of a backend (the selection criterion between backends)."""

    def quality(model: SequenceModel) -> float:
        scores = batched_logits(model, [(p.search_term, p.product_title) for p in pairs])[:, 0]
        groups = [p.search_term for p in pairs]
        return pairwise_accuracy(groups, relevance_of(pairs), scores.tolist())

    return quality


def train_ranker(
    settings: Settings,
    quick: bool = False,
    budget_minutes: float | None = None,
    fresh: bool = False,
) -> Path:
    """Train, evaluate on dev, export and publish a ranker; returns its version folder."""
    config = start_run(settings, RankerConfig(), QUICK, quick, budget_minutes)
    train, dev = split_pairs(
        read_pairs(train_file(settings.data_dir)), config.dev_fraction, config.seed
    )
    train = train[: config.train_limit] if config.train_limit else train
    dev = dev[: config.dev_limit] if config.dev_limit else dev

    check_terms = dev_groups(
        (p.search_term for p in dev), config.backend_check_fraction, config.seed
    )
    inference = {"task": "ranking", "max_length": config.max_length, "outputs": 1}
    trained = fine_tune_and_save(
        settings,
        NAME,
        config,
        quick=quick,
        fresh=fresh,
        pooling="pair",
        outputs=1,
        epoch_batches=query_batches(train, config.batch_size, config.seed),
        loss_for=lambda tokenizer: ranking_loss(tokenizer, config),
        inference=inference,
        pairs=True,
        quality=dev_quality([p for p in dev if p.search_term in check_terms]),
        repeats=50,
    )
    scores = batched_logits(trained.backend, [(p.search_term, p.product_title) for p in dev])[
        :, 0
    ].tolist()
    groups, relevance = [p.search_term for p in dev], relevance_of(dev)
    metrics = {
        "dev_pairwise_accuracy": round(pairwise_accuracy(groups, relevance, scores), 4),
        "dev_ndcg@10": round(ndcg_at_k(groups, relevance, scores, k=10), 4),
        "dev_pairs": len(dev),
        "dev_search_terms": len(set(groups)),
        "train_pairs": len(train),
    }
    card = (
        "Aisle ranker (MiniLM cross-encoder)",
        "Scores (search term, product title) pairs for relevance; `models.ranker.Ranker`.",
        f"Home Depot search relevance (`{settings.data_dir}/home-depot-search-relevance`), "
        f"split by search term with seed {config.seed}: {len(train)} train pairs, {len(dev)} dev "
        f"pairs over {len(set(groups))} held-out search terms. Base: all-MiniLM-L6-v2, first "
        f"{config.layers} layers.",
    )
    return trained.publish(card, config, metrics, inference)
