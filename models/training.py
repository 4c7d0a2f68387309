"""The fine-tuning loop both models share: seeded, budgeted, resumable, with a progress bar."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import Field, asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

import numpy as np
import torch
from tqdm import tqdm

if TYPE_CHECKING:
    from core.settings import Settings


class RunConfig(Protocol):
    """What the loop needs of a model's (frozen dataclass) hyper-parameters."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def seed(self) -> int: ...

    @property
    def budget_minutes(self) -> float | None: ...


Batch = TypeVar("Batch")
Config = TypeVar("Config", bound=RunConfig)
CHECKPOINT = "checkpoint.pt"


@dataclass(frozen=True)
class LoopConfig:
    """Optimisation settings. ``steps`` is the budget (docs/models.md, "Commands", says how it
    was sized); ``budget_minutes``, when set, also caps wall-clock time, counting resumed runs."""

    steps: int
    learning_rate: float
    seed: int = 13
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    budget_minutes: float | None = None
    checkpoint_every: int = 100


@dataclass(frozen=True)
class LoopResult:
    """What the loop did: steps run, time spent, whether the budget stopped it, last loss."""

    steps: int
    elapsed_s: float
    stopped_by_budget: bool
    final_loss: float | None


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def run_loop(
    model: torch.nn.Module,
    epoch_batches: Callable[[int], Sequence[Batch]],
    loss_fn: Callable[[torch.nn.Module, Batch], torch.Tensor],
    config: LoopConfig,
    work_dir: Path,
    desc: str,
) -> LoopResult:
    """Train ``model`` for ``config.steps`` steps of AdamW with linear warm-up and decay.

    ``epoch_batches(epoch)`` must be deterministic (seeded by the epoch), so that a run resumed
    from ``work_dir/checkpoint.pt`` sees exactly the batches it would have seen.
    """
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    warmup = max(1, int(config.steps * config.warmup_fraction))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, max(0.0, (config.steps - s) / (config.steps - warmup + 1))),
    )
    step, elapsed_before = 0, 0.0
    checkpoint = work_dir / CHECKPOINT
    if checkpoint.is_file():
        state: dict[str, Any] = torch.load(checkpoint, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step, elapsed_before = state["step"], state["elapsed_s"]
        tqdm.write(f"{desc}: resuming from step {step} ({checkpoint})")

    def save() -> None:
        work_dir.mkdir(parents=True, exist_ok=True)
        state = {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "step": step,
            "elapsed_s": elapsed_before + time.monotonic() - start,
        }
        torch.save(state, checkpoint.with_suffix(".tmp"))
        checkpoint.with_suffix(".tmp").replace(checkpoint)

    model.train()
    start, losses, stopped = time.monotonic(), [], False
    epoch, batches = 0, epoch_batches(0)
    # Skip to the resumed position: whole epochs first, then batches within the epoch.
    done = step
    while done >= len(batches):
        done -= len(batches)
        epoch += 1
        batches = epoch_batches(epoch)
    with tqdm(total=config.steps, initial=step, desc=desc, unit="step") as bar:
        while step < config.steps:
            spent = elapsed_before + time.monotonic() - start
            if config.budget_minutes is not None and spent > config.budget_minutes * 60:
                stopped = True
                save()  # a later run with the same configuration continues from here
                tqdm.write(f"{desc}: time budget of {config.budget_minutes} min reached")
                break
            loss = loss_fn(model, batches[done])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(loss.item())
            step, done = step + 1, done + 1
            if done == len(batches):
                epoch, done, batches = epoch + 1, 0, epoch_batches(epoch + 1)
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-50:]):.4f}", epoch=epoch)
            if step % config.checkpoint_every == 0 and step < config.steps:
                save()
    model.eval()
    return LoopResult(
        steps=step,
        elapsed_s=round(elapsed_before + time.monotonic() - start, 1),
        stopped_by_budget=stopped,
        final_loss=float(np.mean(losses[-50:])) if losses else None,
    )


def work_dir_for(root: Path, config: RunConfig) -> Path:
    """The checkpoint folder of a run: keyed by its (dataclass) configuration, so that only an
    identical run resumes from it. The time cap is left out: it does not change the run."""
    fields = {k: v for k, v in asdict(config).items() if k != "budget_minutes"}
    key = hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:10]
    return root / f".work-{key}"


def discard_work_dir(work_dir: Path) -> None:
    """Remove a finished run's checkpoints."""
    shutil.rmtree(work_dir, ignore_errors=True)


def start_run(
    settings: Settings,
    config: Config,
    quick_config: Config,
    quick: bool,
    budget_minutes: float | None,
) -> Config:
    """The run's configuration (the quick one for tests, else ``config``, capped at
    ``budget_minutes`` when given), with torch's threads and every seed set."""
    config = quick_config if quick else config
    if budget_minutes is not None:
        config = replace(config, budget_minutes=budget_minutes)
    torch.set_num_threads(settings.model_threads)
    seed_everything(config.seed)
    return config


def publish(
    folder: Path,
    name: str,
    inference: dict[str, Any],
    metrics: dict[str, Any],
    result: LoopResult,
    work_dir: Path,
) -> Path:
    """Write the final manifest, make ``folder`` the current version, and drop the run's
    checkpoints unless its time cap stopped it (the same command then resumes)."""
    from models.artifacts import set_current, write_manifest

    write_manifest(folder, name, inference, metrics)
    set_current(folder)
    if not result.stopped_by_budget:
        discard_work_dir(work_dir)
    return folder


def save_version(
    settings: Settings,
    name: str,
    model: Any,
    tokenizer: Any,
    inference: dict[str, Any],
    *,
    pairs: bool,
    quick: bool,
    quality: Callable[[Any], float],
    repeats: int,
) -> tuple[Path, list[dict[str, Any]], str, Any]:
    """Export the trained model as a new version of ``name`` (manifest without metrics yet) and
    choose its backend: the fastest whose dev ``quality`` is within tolerance of the best.
    Returns the folder, the backend table, the chosen backend and that backend loaded."""
    from models.artifacts import new_version, write_manifest
    from models.backends import compare_backends, load_backend
    from models.export import save_model
    from models.inference_latency import CASES

    folder = settings.models_dir / name / new_version("quick" if quick else "")
    save_model(model, tokenizer, folder, pairs=pairs)
    write_manifest(folder, name, inference, {})
    backends, chosen = compare_backends(
        folder, quality, CASES[name][1], settings.model_threads, repeats=5 if quick else repeats
    )
    return folder, backends, chosen, load_backend(folder, chosen, settings.model_threads)


@dataclass(frozen=True)
class Trained:
    """A fine-tuned model exported as a new version of ``name``, its backend chosen."""

    name: str
    folder: Path
    backends: list[dict[str, Any]]
    chosen: str
    backend: Any
    result: LoopResult
    work_dir: Path

    def publish(
        self,
        card: tuple[str, str, str],
        config: RunConfig,
        metrics: dict[str, Any],
        inference: dict[str, Any],
    ) -> Path:
        """Write the model card (title, purpose, data) and publish the version with its
        ``metrics`` (plus the loop's result and the backend); returns its folder."""
        from models.model_card import write_model_card

        metrics = metrics | {"training": asdict(self.result), "backend": self.chosen}
        write_model_card(self.folder, *card, asdict(config), metrics, self.backends, self.chosen)
        inference = inference | {"default_backend": self.chosen}
        return publish(self.folder, self.name, inference, metrics, self.result, self.work_dir)


def fine_tune_and_save(
    settings: Settings,
    name: str,
    config: Any,
    *,
    quick: bool,
    fresh: bool,
    pooling: str,
    outputs: int,
    epoch_batches: Callable[[int], Sequence[Batch]],
    loss_for: Callable[[Any], Callable[[torch.nn.Module, Batch], torch.Tensor]],
    inference: dict[str, Any],
    pairs: bool,
    quality: Callable[[Any], float],
    repeats: int,
    frozen_word_embeddings: bool = False,
) -> Trained:
    """The skeleton both models share: MiniLM with a fresh head (``pooling``, ``outputs``),
    trained by ``run_loop`` (or resumed from the run's work folder under ``models_dir/name``),
    then ``save_version``. ``frozen_word_embeddings`` keeps the vocabulary's embedding table
    (half the encoder's weights) as pre-trained: faster steps, and words seen only in
    pre-training (typos, Hinglish) keep their meaning.

    ``config`` needs ``layers``, ``steps``, ``learning_rate``, ``seed`` and ``budget_minutes``;
    ``loss_for(tokenizer)`` builds the loss.
    """
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    from models.network import PooledModel

    work_dir = work_dir_for(settings.models_dir / name, config)
    hf_logging.set_verbosity_error()
    encoder = settings.encoder_path()
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    model = PooledModel.from_base(encoder, pooling, outputs, config.layers)
    table = model.encoder.get_input_embeddings()
    if isinstance(table, torch.nn.Embedding):
        table.weight.requires_grad_(not frozen_word_embeddings)
    model.to(settings.training_device())
    if fresh:
        discard_work_dir(work_dir)
    loop = LoopConfig(
        steps=config.steps,
        learning_rate=config.learning_rate,
        seed=config.seed,
        budget_minutes=config.budget_minutes,
    )
    result = run_loop(model, epoch_batches, loss_for(tokenizer), loop, work_dir, f"train {name}")
    model = model.cpu()
    folder, backends, chosen, backend = save_version(
        settings,
        name,
        model,
        tokenizer,
        inference,
        pairs=pairs,
        quick=quick,
        quality=quality,
        repeats=repeats,
    )
    return Trained(name, folder, backends, chosen, backend, result, work_dir)
