"""``aisle bench chat``: turn latency through a running gateway."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from aisle.chat_latency import bench_chat as run_bench
from aisle.chat_latency import ratio_to_floor
from core.settings import get_settings


def bench_chat(
    url: str = typer.Option(None, help="gateway URL; default: the configured one"),
    turns: int = typer.Option(40, min=5, help="turns of each kind"),
) -> None:
    """Time greeting, no-op custom-action (the floor) and search turns through gateway → Rasa
    → actions."""
    results = run_bench(url or get_settings().gateway_url, turns)
    for name, summary in results.items():
        typer.echo(f"{name:40s} p50 {summary.p50_ms:7.1f} ms   p95 {summary.p95_ms:7.1f} ms")
    typer.echo(f"search p95 / floor p95: {ratio_to_floor(results):.2f} (target ≤ 2)")
    typer.echo(json.dumps({name: asdict(s) for name, s in results.items()}))
