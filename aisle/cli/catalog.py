"""``aisle catalog ...`` and ``aisle search``: load catalogues into the store and query it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def ingest(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A catalogue name (bigbasket) or a file; default: the catalog setting."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Ingest only the first N valid rows.")] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="TOML file naming the columns of SOURCE (see docs/retrieval.md)."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove stored products that the source no longer has.")
    ] = False,
) -> None:
    """Upsert a catalogue into the product store (idempotent) and print a summary."""
    from rich.console import Console

    from retrieval.ingest import ingest as run_ingest
    from retrieval.loaders import NotACatalogue

    console = Console(stderr=True)
    try:
        report = run_ingest(source, limit=limit, mapping=mapping, prune=prune, show_progress=True)
    except NotACatalogue as exc:
        console.print(f"[red]refused:[/] {exc}\nThe product store was not changed.")
        raise typer.Exit(2) from exc
    for error in report.errors[:50]:
        console.print(f"[yellow]skipped[/] {error}")
    if len(report.errors) > 50:
        console.print(f"[yellow]... and {len(report.errors) - 50} more skipped rows[/]")
    summary = report.summary()
    console.print(
        "read {read} · ingested {ingested} (new {added}, changed {updated}) · unchanged "
        "{unchanged} · skipped {skipped} · pruned {pruned} · in store {in_store}".format(**summary)
    )
    typer.echo(json.dumps(summary))


@app.command()
def count() -> None:
    """Print how many products the store holds (0 when it has none or does not exist)."""
    from retrieval.store import ProductStore

    typer.echo(ProductStore().stored_count())


@app.command()
def update(
    product_id: Annotated[str, typer.Argument(help="The product's id, e.g. bb-42.")],
    changes: Annotated[
        list[str],
        typer.Argument(help="FIELD=VALUE pairs, e.g. price=199 'category=Beverages > Tea'."),
    ],
) -> None:
    """Change one product (or add it, given at least title=...) without re-ingesting."""
    from pydantic import ValidationError

    from retrieval.ingest import update_product

    fields: dict[str, object] = {}
    for change in changes:
        name, sep, value = change.partition("=")
        if not sep:
            raise typer.BadParameter(f"{change!r} is not FIELD=VALUE")
        fields[name.strip()] = _field_value(name.strip(), value)
    try:
        product = update_product(product_id, fields)
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(product.model_dump_json())


def _field_value(name: str, value: str) -> object:
    if name == "category":
        return tuple(level.strip() for level in value.split(">") if level.strip())
    if name == "attributes":
        return json.loads(value)
    if name in ("price", "list_price", "rating") and not value.strip():
        return None
    return value


@app.command()
def remove(product_ids: Annotated[list[str], typer.Argument(help="Ids to remove.")]) -> None:
    """Remove products from the store by id."""
    from retrieval.store import ProductStore

    removed = ProductStore().delete(product_ids)
    typer.echo(json.dumps({"removed": removed}))


def search(
    query: Annotated[str, typer.Argument(help="What the shopper asked for; may be empty.")] = "",
    max_price: Annotated[float | None, typer.Option(help="Highest price.")] = None,
    min_price: Annotated[float | None, typer.Option(help="Lowest price.")] = None,
    brand: Annotated[
        list[str] | None, typer.Option("--brand", help="Allowed brand (repeatable).")
    ] = None,
    category: Annotated[str | None, typer.Option(help="Any level of the category path.")] = None,
    colour: Annotated[str | None, typer.Option(help="Colour, e.g. navy blue.")] = None,
    gender: Annotated[str | None, typer.Option(help="Men, Women, Boys, Girls, Unisex.")] = None,
    min_rating: Annotated[float | None, typer.Option(help="Lowest rating (1-5).")] = None,
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per result.")] = False,
) -> None:
    """Search the product store with hybrid retrieval and exact filters."""
    from pydantic import ValidationError

    from retrieval.schema import Filters
    from retrieval.search import get_searcher

    try:
        filters = Filters(
            min_price=min_price,
            max_price=max_price,
            brands=tuple(brand or ()),
            category=category,
            colour=colour,
            gender=gender,
            min_rating=min_rating,
        )
    except ValidationError as exc:
        raise typer.BadParameter(str(exc.errors()[0]["msg"])) from exc
    hits = get_searcher().search(query, filters, k=k)
    if as_json:
        for hit in hits:
            typer.echo(hit.model_dump_json())
        return
    _print_table(query, hits)


def _print_table(query: str, hits: list) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(hits)} result(s) for {query!r}")
    for column in ("id", "title", "brand", "price", "rating", "category", "why"):
        table.add_column(column)
    for hit in hits:
        p = hit.product
        table.add_row(
            p.id,
            p.title,
            p.brand,
            "" if p.price is None else f"{p.price:g} {p.currency}",
            "" if p.rating is None else f"{p.rating:g}",
            p.category_path,
            hit.reason,
        )
    Console().print(table)


def eval_retrieval(
    input: Annotated[
        Path, typer.Option("--input", help="Home Depot-format CSV (id,product_uid,...,relevance).")
    ],
    k: Annotated[int, typer.Option("-k", help="Recall cut-off.")] = 100,
    max_terms: Annotated[
        int | None, typer.Option(help="Evaluate only the first N search terms (sorted).")
    ] = None,
) -> None:
    """Recall@k of BM25, dense and hybrid retrieval on relevance pairs; prints one JSON line."""
    from rich.console import Console
    from rich.table import Table

    from core.evaluation import InputError
    from core.settings import get_settings
    from retrieval.evaluation import METHODS, evaluate

    settings = get_settings()
    # the eval catalogue is kept between runs: re-running skips the embedding
    workdir = settings.state_dir / "eval-retrieval" / input.name
    try:
        metrics = evaluate(input, workdir, settings, k=k, max_terms=max_terms, show_progress=True)
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--input") from exc
    table = Table(title=f"recall@{k} over {metrics['search_terms']} search terms")
    for method in METHODS:
        table.add_column(method)
    table.add_row(*(f"{metrics[f'{m}_recall@{k}']:.4f}" for m in METHODS))
    Console(stderr=True).print(table)
    typer.echo(json.dumps(metrics))


def eval_reranking(
    input: Annotated[
        Path | None,
        typer.Option("--input", help="Home Depot-format CSV; default: the data folder's file."),
    ] = None,
    depth: Annotated[
        list[int] | None, typer.Option("--depth", help="Candidates re-ranked (repeatable).")
    ] = None,
    max_terms: Annotated[
        int | None, typer.Option(help="Evaluate only the first N held-out search terms.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Report folder; default <state_dir>/eval-reranking.")
    ] = None,
) -> None:
    """Quality and latency of re-ranking the first N search hits with the fine-tuned ranker."""
    from rich.console import Console
    from rich.table import Table

    from core.evaluation import InputError
    from core.settings import get_settings
    from models.artifacts import ArtifactError
    from search.reranking_evaluation import (
        RERANK_DEPTHS,
        evaluate_reranking,
        write_reranking_report,
    )

    settings = get_settings()
    input = input or settings.data_dir / "home-depot-search-relevance" / "train.csv.gz"
    workdir = settings.state_dir / "eval-retrieval" / input.name
    try:
        result = evaluate_reranking(
            input, workdir, settings, depth or RERANK_DEPTHS, max_terms, show_progress=True
        )
    except (ArtifactError, InputError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    png = write_reranking_report(result, report or settings.state_dir / "eval-reranking")
    table = Table(title=f"re-ranking over {result['search_terms']} held-out search terms")
    for column in ("depth", "recall@5", "recall@10", "mrr@10", "p50_ms", "p95_ms"):
        table.add_column(column)
    for row in result["depths"]:
        table.add_row(*(str(value) for value in row.values()))
    Console(stderr=True).print(table)
    typer.echo(f"report: {png}", err=True)
    typer.echo(json.dumps(result))


def bench_retrieval(
    catalogue: Annotated[
        list[str] | None, typer.Option("--catalogue", help="Catalogue(s) to measure (repeatable).")
    ] = None,
    queries: Annotated[int, typer.Option(help="Queries per catalogue.")] = 200,
    ef_search: Annotated[
        list[int] | None, typer.Option("--ef-search", help="Also measure HNSW recall@50 at these.")
    ] = None,
) -> None:
    """Ingestion throughput and p50/p95 hybrid latency (with and without filters)."""
    import shutil
    import tempfile

    from rich.console import Console
    from rich.table import Table

    from core.settings import get_settings
    from retrieval.speed_and_recall import bench_catalogue

    settings = get_settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=settings.state_dir))
    console = Console(stderr=True)
    figures: dict[str, dict] = {}
    try:
        for name in catalogue or ["bigbasket", "myntra"]:
            figures[name] = bench_catalogue(
                name, settings, workdir, queries, ef_search, console.print
            )
            console.print(f"{name}: {json.dumps(figures[name])}")  # kept if a later one fails
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    table = Table(title="retrieval benchmark (k=5)")
    for column in (
        "catalogue",
        "products",
        "ingest /s",
        "p50 ms",
        "p95 ms",
        "filtered p50",
        "filtered p95",
    ):
        table.add_column(column)
    for name, f in figures.items():
        table.add_row(
            name,
            str(f["products"]),
            str(f["ingest_products_per_s"]),
            str(f["hybrid"]["p50_ms"]),
            str(f["hybrid"]["p95_ms"]),
            str(f["hybrid_filtered"]["p50_ms"]),
            str(f["hybrid_filtered"]["p95_ms"]),
        )
    console.print(table)
    typer.echo(json.dumps(figures))
