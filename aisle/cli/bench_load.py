"""``aisle bench load``: concurrent shoppers through a running gateway, verified afterwards."""

from __future__ import annotations

import json

import typer

from aisle.load_bench import bench_load as run_bench
from core.settings import get_settings


def bench_load(
    url: str = typer.Option(None, help="gateway URL; default: the configured one"),
    shoppers: int = typer.Option(50, min=1, help="shoppers chatting at once"),
    turns: int = typer.Option(10, min=2, help="messages each shopper sends, one at a time"),
) -> None:
    """Shoppers search, add to the cart and show it, all at once; then every transcript and
    cart is checked. Last line: JSON with shoppers, turns, errors, lost, p50_ms, p95_ms,
    turns_per_s and the CPU per turn of each server running here (found by the configured
    ports). The stack under load must allow this many requests from one address:
    AISLE_RATE_LIMIT_PER_ADDRESS."""
    settings = get_settings()
    ports = {"gateway": settings.gateway_port, "actions": settings.action_port}
    ports |= {name: port for name, port in settings.rasa_replica_ports().items()}
    result = run_bench(url or settings.gateway_url, shoppers, turns, ports)
    for problem in result.pop("problems"):
        typer.echo(f"problem: {problem[:300]}")
    typer.echo(json.dumps(result))
