"""``aisle train ranker|ranker-stage|sentiment|missing``: fine-tune the models in ``models/``."""

from __future__ import annotations

import os
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)

Quick = Annotated[bool, typer.Option("--quick", help="A tiny slice in seconds (for tests).")]
Budget = Annotated[
    float | None,
    typer.Option("--budget-minutes", help="Also stop after N minutes (default: run all steps)."),
]
Fresh = Annotated[
    bool, typer.Option("--fresh", help="Discard an interrupted run's checkpoint, start over.")
]


def _prepare() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


@app.command()
def ranker(quick: Quick = False, budget_minutes: Budget = None, fresh: Fresh = False) -> None:
    """Fine-tune the cross-encoder ranker on Home Depot search relevance (resumable)."""
    _prepare()
    from core.settings import get_settings
    from models.ranker_training import train_ranker

    folder = train_ranker(get_settings(), quick, budget_minutes, fresh)
    typer.echo(f"ranker saved to {folder}")


@app.command("ranker-stage")
def ranker_stage(
    depth: Annotated[int, typer.Option(help="Hybrid candidates per training term.")] = 20,
    max_terms: Annotated[int | None, typer.Option(help="Use only the first N terms.")] = None,
) -> None:
    """Fit the second-stage re-ranker on hybrid retrieval's candidates for the Home Depot
    training terms (hard negatives; embeds the titles once, then a few minutes: mining, then
    boosted trees, saved as JSON)."""
    _prepare()
    import json

    from core.settings import get_settings
    from models.ranker_stage_training import train_stage

    typer.echo(json.dumps(train_stage(get_settings(), depth, max_terms, show_progress=True)))


@app.command()
def sentiment(quick: Quick = False, budget_minutes: Budget = None, fresh: Fresh = False) -> None:
    """Fine-tune the sentiment classifier on reviews, tweets and dialogue turns (resumable)."""
    _prepare()
    from core.settings import get_settings
    from models.sentiment_training import train_sentiment

    folder = train_sentiment(get_settings(), quick, budget_minutes, fresh)
    typer.echo(f"sentiment model saved to {folder}")


SERVED = {"sentiment": sentiment}  # what the servers load (search: models/ranker_stage.py)


def missing_models(settings: object) -> list[str]:
    """The served models without a usable artifact."""
    from models.artifacts import ArtifactError, current_folder, read_manifest

    missing = []
    for name in SERVED:
        try:
            read_manifest(current_folder(settings.models_dir, name))  # type: ignore[attr-defined]
        except ArtifactError:
            missing.append(name)
    return missing


@app.command()
def missing(quick: Quick = False) -> None:
    """Train each model the servers use that has no usable artifact yet (the sentiment model,
    about ten minutes on 2 cores). The cross-encoder ranker is trained only on request."""
    _prepare()
    from core.settings import get_settings

    for name in missing_models(get_settings()):
        typer.echo(f"Training the {name} model now (about ten minutes on 2 cores)…")
        SERVED[name](quick=quick, budget_minutes=None, fresh=False)
