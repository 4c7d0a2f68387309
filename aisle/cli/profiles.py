"""``aisle profiles …`` (import order history, tune ranking) and ``aisle eval personalization``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)

OrdersOption = Annotated[
    Path, typer.Option("--orders", help="Instacart order lines (CSV, optionally .gz).")
]


@app.command("import")
def import_orders(orders: OrdersOption) -> None:
    """Record every order line as a purchase in the profile store (idempotent)."""
    from core.settings import get_settings
    from profiles.instacart import catalogue_products, import_orders, read_orders
    from profiles.store import ProfileStore
    from retrieval.loaders import NotACatalogue
    from search.personalization_evaluation import track

    settings = get_settings()
    try:
        by_user = read_orders(orders)
    except NotACatalogue as exc:
        raise typer.BadParameter(str(exc), param_hint="--orders") from exc
    store = ProfileStore(settings)
    added = import_orders(
        store,
        by_user,
        catalogue_products(settings.data_dir),
        progress=track(sorted(by_user), "shoppers", show=True),
    )
    typer.echo(
        f"{added} new purchase events for {len(by_user)} shoppers "
        f"({store.count_events()} events in the store)"
    )


@app.command("tune")
def tune(orders: OrdersOption) -> None:
    """Fit the personal ranking weights on the train users of ORDERS (saved under models/)."""
    from core.settings import get_settings
    from profiles.ranking import RankingWeights
    from search.personalization_tuning import tune as fit

    settings = get_settings()
    weights = fit(orders, settings, show_progress=True)
    typer.echo(f"{weights.model_dump_json()} -> {RankingWeights.path(settings)}")


def eval_personalization(
    orders: OrdersOption,
    predictions: Annotated[
        Path,
        typer.Option(
            "--predictions",
            help="Output CSV user_id,product_id,query,rank_with_profile,rank_without_profile.",
        ),
    ],
    split: Annotated[
        str, typer.Option(help="Users to evaluate: all, or the train/dev split by user hash.")
    ] = "all",
) -> None:
    """HR@10 and MRR of personal search against anonymous search; prints one JSON line."""
    from core.settings import get_settings
    from search.personalization_evaluation import evaluate, to_json

    if split not in ("all", "train", "dev"):
        raise typer.BadParameter("all, train or dev", param_hint="--split")
    scores = evaluate(orders, predictions, get_settings(), split, show_progress=True)  # type: ignore[arg-type]
    typer.echo(to_json(scores))
