"""``aisle eval ranking|sentiment|dev-sets`` and ``aisle bench models``: evaluate the fine-tuned
models on files in the formats of docs/models.md ("Commands") and measure their inference
latency."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

Input = Annotated[Path, typer.Option("--input", exists=True, dir_okay=False, help="Input file.")]
Predictions = Annotated[Path, typer.Option("--predictions", help="Where to write predictions.")]


def _run(evaluate: Callable[..., dict[str, Any] | None], *args: object) -> None:
    """Run an evaluation; print its metrics as one JSON line, or a clear error."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from core.evaluation import InputError
    from core.settings import get_settings
    from models.artifacts import ArtifactError

    try:
        metrics = evaluate(get_settings(), *args)
    except (ArtifactError, InputError) as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from error
    if metrics is not None:
        typer.echo(json.dumps(metrics, separators=(",", ":")))


def ranking(input: Input, predictions: Predictions) -> None:
    """Rerank (search term, product title) rows: writes ``id,score``; with ``relevance``, prints
    pairwise accuracy and nDCG@10 of the model, random, BM25 and MiniLM cosine."""
    from models.evaluation import evaluate_ranking

    _run(evaluate_ranking, input, predictions)


def sentiment(
    input: Input,
    predictions: Predictions,
    labels: Annotated[
        str,
        typer.Option(
            help="auto | binary (no neutral) | three; auto = binary if gold has no neutral"
        ),
    ] = "auto",
) -> None:
    """Classify ``id,text`` rows: writes ``id,label,score``; with ``label``, prints accuracy of the
    model and VADER, per ``source`` when that column exists."""
    from models.evaluation import evaluate_sentiment

    _run(evaluate_sentiment, input, predictions, labels)


def dev_sets(out: Annotated[Path, typer.Option(help="Folder outside the repository.")]) -> None:
    """Write the training dev splits as ranking_dev.csv and sentiment_dev.csv."""
    from models.evaluation import write_dev_sets

    def write(settings: Any, folder: Path) -> None:
        for path in write_dev_sets(settings, folder):
            typer.echo(path)

    _run(write, out)


def bench_models(
    repeats: Annotated[int, typer.Option(help="Timed calls per backend.")] = 200,
) -> None:
    """Latency of every inference backend on the current models (p50/p95, ms): rerank 50
    candidates, classify one message."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rich.console import Console
    from rich.table import Table

    from core.settings import get_settings
    from models.artifacts import ArtifactError
    from models.inference_latency import benchmark

    try:
        rows = benchmark(get_settings(), repeats)
    except ArtifactError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from error
    table = Table("model", "case", "backend", "p50 ms", "p95 ms", "default")
    for row in rows:
        table.add_row(
            *(str(row[k]) for k in ("model", "case", "backend", "p50_ms", "p95_ms", "default"))
        )
    Console().print(table)
