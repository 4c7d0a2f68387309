"""``aisle orders``: the demo orders table that order status and returns verify against."""

from __future__ import annotations

import itertools

import typer

from core.settings import Settings, get_settings

app = typer.Typer(no_args_is_help=True)
CATALOGUE_HEAD = 50  # demo orders use products among the catalogue's first rows


def seed_orders(settings: Settings) -> int:
    """Add the demo orders that are missing; returns how many were added."""
    from core.database import session_scope
    from retrieval.loaders import resolve
    from retrieval.schema import Product
    from shop import orders

    rows = resolve(settings.catalog, settings.data_dir).rows()
    products = [p for p in itertools.islice(rows, CATALOGUE_HEAD * 2) if isinstance(p, Product)]
    with session_scope(settings) as session:
        return orders.seed_demo_orders(session, products[:CATALOGUE_HEAD])


@app.command("seed")
def seed() -> None:
    """Create the demo orders (idempotent); the README lists their ids and emails."""
    added = seed_orders(get_settings())
    typer.echo(f"Demo orders: {added} added." if added else "Demo orders: already there.")
