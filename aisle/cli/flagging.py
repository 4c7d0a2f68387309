"""``aisle eval flagging`` and ``aisle eval flagging-dev-set``: score dialogues with the live
flagging code (support/flagging.py) and build the labelled dev dialogues it was tuned on."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

Input = Annotated[Path, typer.Option("--input", exists=True, dir_okay=False, help="JSON lines.")]
Predictions = Annotated[Path, typer.Option("--predictions", help="Where to write predictions.")]


def eval_flagging(
    input: Input,
    predictions: Predictions,
    leave_one_source_out: Annotated[
        bool,
        typer.Option(help="Also fit the signals on all sources but one; AUC on the one left."),
    ] = False,
    sentiment: Annotated[
        str,
        typer.Option(help="model (the shipped classifier, as live) or vader (a diagnostic)."),
    ] = "model",
) -> None:
    """Score ``{"id","turns"}`` dialogues: writes ``{"id","score","flagged"}`` lines; with
    ``label`` (1 = unhappy), prints ROC AUC, precision and recall at the threshold etc. beside
    the VADER mean baseline, per ``source`` when there are several."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from core.evaluation import InputError
    from core.settings import get_settings
    from models.artifacts import ArtifactError
    from models.sentiment import SentimentModel
    from support.evaluation import evaluate_flagging, vader_probabilities

    if sentiment not in ("model", "vader"):
        raise typer.BadParameter("--sentiment must be model or vader")
    settings = get_settings()
    try:
        classify = (
            SentimentModel.load(settings).probabilities
            if sentiment == "model"
            else vader_probabilities
        )
        metrics = evaluate_flagging(
            input, predictions, classify, settings.flag_threshold, leave_one_source_out
        )
    except (ArtifactError, InputError) as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from error
    if metrics is not None:
        typer.echo(json.dumps(metrics, separators=(",", ":")))


def flagging_dev_set(
    out: Annotated[Path, typer.Option(help="Folder outside the repository.")],
    split: Annotated[str, typer.Option(help="dev (held out) or train.")] = "dev",
) -> None:
    """Write labelled dialogues from the airline tweets, USS ReDial and the USS service
    dialogues (MultiWOZ, SGD) as JSON lines."""
    from core.settings import get_settings
    from support.dev_dialogues import write_dev_dialogues

    if split not in ("dev", "train"):
        raise typer.BadParameter("split must be dev or train")
    for path in write_dev_dialogues(get_settings().data_dir, out, split):  # type: ignore[arg-type]
        typer.echo(path)
