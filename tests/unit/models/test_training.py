"""The shared loop: a run interrupted and resumed ends where an uninterrupted one does."""

import pytest
import torch

from models.training import LoopConfig, run_loop, seed_everything, work_dir_for

CONFIG = LoopConfig(steps=7, learning_rate=0.05, checkpoint_every=2)


def batches(epoch: int) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(epoch)
    return [torch.randn(4, 3, generator=generator) for _ in range(3)]


def train(work_dir, stop_at: int | None = None) -> tuple[torch.nn.Module, int]:
    """The trained model and the number of steps this call ran."""
    seed_everything(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
    calls = 0

    def loss(m: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
        nonlocal calls
        calls += 1
        if stop_at is not None and calls > stop_at:
            raise KeyboardInterrupt
        return ((m(x) - x.sum(dim=1, keepdim=True)) ** 2).mean()

    run_loop(model, batches, loss, CONFIG, work_dir, desc="test")
    return model, calls


def test_resumed_run_matches_uninterrupted_run(tmp_path):
    reference, _ = train(tmp_path / "a")
    with pytest.raises(KeyboardInterrupt):
        train(tmp_path / "b", stop_at=5)  # checkpoint at step 4, then interrupted
    resumed, steps = train(tmp_path / "b")
    assert steps == CONFIG.steps - 4  # it went on from the checkpoint, not from the start
    for p, q in zip(reference.parameters(), resumed.parameters(), strict=True):
        torch.testing.assert_close(p, q)


def test_budget_stops_early(tmp_path):
    model = torch.nn.Linear(3, 1)
    config = LoopConfig(steps=1000, learning_rate=0.01, budget_minutes=0.0)
    result = run_loop(model, batches, lambda m, x: m(x).mean(), config, tmp_path, desc="test")
    assert result.stopped_by_budget and result.steps == 0
    assert (tmp_path / "checkpoint.pt").is_file()  # kept, so that a rerun continues


def test_work_dir_depends_on_the_configuration(tmp_path):
    assert work_dir_for(tmp_path, CONFIG) == work_dir_for(tmp_path, CONFIG)
    assert work_dir_for(tmp_path, CONFIG) != work_dir_for(tmp_path, LoopConfig(8, 0.05))
