"""``aisle up``: prepare what is missing, start every server, print the store's URL."""

from __future__ import annotations

from pathlib import Path

import typer

from aisle.bot_model import ensure_model
from aisle.preparation import ensure_catalog, ensure_models, ensure_orders
from aisle.rasa_endpoints import StoreURLError, store_sections, write_endpoints
from aisle.stack import Stack, StackError
from aisle.supervisor import serve
from core.settings import Settings, get_settings


def prepare_all(settings: Settings) -> Path:
    """Everything the servers need, made where missing; returns the Rasa model. The store URLs
    are checked first: one Rasa cannot use stops here, before the long work."""
    try:
        store_sections(settings)
    except StoreURLError as error:
        typer.secho(f"Aisle cannot start: {error}", fg="red", err=True)
        raise typer.Exit(2) from error
    ensure_catalog(settings)
    ensure_orders(settings)
    ensure_models(settings)
    return ensure_model(settings)


def prepare() -> None:
    """Ingest the catalogue, seed the demo orders, train what is missing; start nothing (for
    deployments that run each server on its own, as docker-compose.yml does)."""
    settings = get_settings()
    model = prepare_all(settings)
    typer.echo(f"Prepared. Rasa model: {model}; Rasa endpoints: {write_endpoints(settings)}")


def up() -> None:
    """Ingest the catalogue, train the models and the bot if needed, then run until Ctrl-C,
    restarting any server that dies or stops answering."""
    settings = get_settings()
    stack = Stack(settings, prepare_all(settings))
    typer.echo("Starting the action server, the Rasa server and the gateway…")

    def announce() -> None:
        typer.secho(
            f"\nAisle is ready. Store page with the chat widget: {settings.gateway_url}/",
            bold=True,
        )
        typer.echo(f"Logs: {settings.logs_dir}/  ·  Ctrl-C stops everything.")

    try:
        serve(stack, announce)
    except StackError as error:
        typer.secho(f"Aisle could not start: {error}", fg="red", err=True)
        raise typer.Exit(1) from error
    typer.echo("Stopped.")
