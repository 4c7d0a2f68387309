"""The ``aisle`` command line: one entry point for every project command.

Each concern registers its own sub-command module here; keep this file a table of contents.
"""

from __future__ import annotations

import typer

from aisle.cli import (
    bench_chat,
    bench_load,
    catalog,
    conversations,
    evaluate,
    flagging,
    intents,
    orders,
    profiles,
    support,
    train,
    up,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(catalog.app, name="catalog", help="Load catalogues into the product store.")
app.command("search")(catalog.search)
app.command("up")(up.up)
app.command("prepare")(up.prepare)
app.add_typer(orders.app, name="orders", help="The demo orders table.")
app.add_typer(profiles.app, name="profiles", help="Shopper profiles: import history, tune ranking.")
app.add_typer(support.support_app, name="support", help="The support console's accounts.")
app.add_typer(support.shopper_app, name="shopper", help="A shopper's data: export, delete.")
app.add_typer(train.app, name="train", help="Fine-tune the ranker and sentiment models.")
eval_app = typer.Typer(no_args_is_help=True, help="Evaluate on a file; one-line JSON metrics.")
app.add_typer(eval_app, name="eval")
eval_app.command("intents")(intents.eval_intents)
eval_app.command("simmc")(intents.eval_simmc)
eval_app.command("ranking")(evaluate.ranking)
eval_app.command("sentiment")(evaluate.sentiment)
eval_app.command("search")(evaluate.search)
eval_app.command("dev-sets")(evaluate.dev_sets)
eval_app.command("retrieval")(catalog.eval_retrieval)
eval_app.command("reranking")(catalog.eval_reranking)
eval_app.command("personalization")(profiles.eval_personalization)
eval_app.command("flagging")(flagging.eval_flagging)
eval_app.command("flagging-dev-set")(flagging.flagging_dev_set)
eval_app.command("conversations")(conversations.eval_conversations)
bench_app = typer.Typer(no_args_is_help=True, help="Measure latency.")
app.add_typer(bench_app, name="bench")
bench_app.command("models")(evaluate.bench_models)
bench_app.command("retrieval")(catalog.bench_retrieval)
bench_app.command("chat")(bench_chat.bench_chat)
bench_app.command("load")(bench_load.bench_load)
