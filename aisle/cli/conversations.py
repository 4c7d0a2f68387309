"""``aisle eval conversations``: scripted shopper conversations through a running stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from core.settings import get_settings


def eval_conversations(
    input: Annotated[Path, typer.Option("--input", exists=True, help="Scenario file or folder.")],
    url: str = typer.Option(None, help="gateway URL of a running stack (`aisle up` prints it)"),
    catalog: str = typer.Option("bigbasket", help="the catalogue the stack serves"),
    fast: bool = typer.Option(False, help="only the scenarios marked `fast: true`"),
) -> None:
    """Play scripted shopper conversations (format: evalsets/README.md) through a running
    stack's gateway and check every turn; print each failure, the pass rates and a JSON line.
    Cart checks read the cart from the configured store (the stack's, on the same machine)."""
    from aisle.conversations import load_scenarios, run_scenarios, store_cart

    settings = get_settings()
    scenarios = load_scenarios(input, fast_only=fast)
    report = run_scenarios(scenarios, url or settings.gateway_url, store_cart(settings), catalog)
    for failure in report.failures:
        typer.echo(f"FAIL {failure.file}: {failure.scenario}, turn {failure.turn} {failure.user!r}")
        for problem in failure.problems:
            typer.echo(f"    {problem}")
        typer.echo(f"    text: {failure.text!r}")
    typer.echo(
        f"{report.passed}/{report.scenarios} scenarios passed ({report.pass_rate:.1%}), "
        f"{report.skipped} skipped (other catalogue); {report.turns_passed}/{report.turns} turns"
    )
    typer.echo(json.dumps(report.summary(), separators=(",", ":")))
