"""``aisle up``: prepare what is missing, start every server, print the store's URL."""

from __future__ import annotations

import subprocess
from pathlib import Path

import typer

from aisle.bot_model import ensure_model
from aisle.preparation import (
    ensure_catalog,
    ensure_models,
    ensure_orders,
    stop_training,
    train_in_background,
)
from aisle.rasa_endpoints import StoreURLError, store_sections, write_endpoints
from aisle.stack import Stack, StackError
from aisle.supervisor import serve
from core.settings import Settings, get_settings


def prepare_all(settings: Settings, *, models: bool = True) -> Path:
    """Everything the servers need, made where missing (the fine-tuned models only with
    ``models``); returns the Rasa model. The store URLs are checked first: one Rasa cannot use
    stops here, before the long work."""
    try:
        store_sections(settings)
    except StoreURLError as error:
        typer.secho(f"Aisle cannot start: {error}", fg="red", err=True)
        raise typer.Exit(2) from error
    ensure_catalog(settings)
    ensure_orders(settings)
    if models:
        ensure_models(settings)
    return ensure_model(settings)


def prepare() -> None:
    """Ingest the catalogue, seed the demo orders, train what is missing; start nothing (for
    deployments that run each server on its own, as docker-compose.yml does)."""
    settings = get_settings()
    model = prepare_all(settings)
    typer.echo(f"Prepared. Rasa model: {model}; Rasa endpoints: {write_endpoints(settings)}")


def up() -> None:
    """Ingest the catalogue and train the bot if needed, start every server, then train the
    missing fine-tuned models in the background and swap each in when it is ready; runs until
    Ctrl-C (which also stops a training in progress), restarting any server that dies or stops
    answering."""
    settings = get_settings()
    stack = Stack(settings, prepare_all(settings, models=False))
    typer.echo("Starting the action server, the Rasa server and the gateway…")
    training: list[subprocess.Popen[bytes] | None] = [None]  # set once the stack is ready

    def announce() -> None:
        typer.secho(
            f"\nAisle is ready. Store page with the chat widget: {settings.gateway_url}/",
            bold=True,
        )
        typer.echo(f"Logs: {settings.logs_dir}/  ·  Ctrl-C stops everything.")
        training[0] = train_in_background(settings)
        if training[0]:
            typer.echo(
                "Training the sentiment model in the background (logs/training.log); until it "
                "is ready every message counts as neutral. Search needs no training."
            )

    def swap_in_finished_training() -> None:
        process = training[0]
        if process is not None and process.poll() is not None:
            training[0] = None
            _swap_in(stack, process.returncode)

    try:
        serve(stack, announce, swap_in_finished_training)
    except StackError as error:
        typer.secho(f"Aisle could not start: {error}", fg="red", err=True)
        raise typer.Exit(1) from error
    finally:
        stop_training(training[0])
    typer.echo("Stopped.")


def _swap_in(stack: Stack, returncode: int) -> None:
    """A background training ended: restart Rasa so that it loads the new sentiment model."""
    if returncode != 0:
        typer.secho(
            "Background training failed (logs/training.log); the bot goes on without it.",
            fg="red",
            err=True,
        )
        return
    typer.echo("Sentiment model trained: restarting the Rasa server to use it…")
    for name in stack.settings.rasa_replica_ports():
        stack.stop_service(name)
        stack.start_service(name)
    typer.echo("The sentiment model is in use.")
