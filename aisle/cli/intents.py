"""``aisle eval intents`` and ``aisle eval simmc``: the trained Rasa model's intent for each
sentence of a TSV file, and for the shopper turns of SIMMC 2.1 (data nobody here wrote)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from aisle.bot_model import ensure_model
from core.evaluation import InputError, read_rows, write_csv
from core.metrics import accuracy, macro_f1
from core.settings import REPO_ROOT, get_settings


def read_tsv(path: Path) -> tuple[list[str], list[str] | None]:
    """Texts and, when the file has an ``intent`` column, their labels."""
    try:
        rows = read_rows(path, ("text",))
    except InputError as error:
        raise typer.BadParameter(str(error)) from error
    texts = [row["text"] or "" for row in rows]
    labelled = bool(rows) and "intent" in rows[0]
    return texts, ([(row["intent"] or "").strip() for row in rows] if labelled else None)


def metrics(gold: list[str], predicted: list[str]) -> dict[str, float | int]:
    """Accuracy and macro-F1 over the intents present in ``gold``."""
    return {
        "n": len(gold),
        "accuracy": round(accuracy(gold, predicted), 4) if gold else 0.0,
        "macro_f1": round(macro_f1(gold, predicted), 4) if gold else 0.0,
    }


def parse(texts: list[str]) -> list[dict[str, Any]]:
    """``{"intent", "confidence", "fallback"}`` per text from the current bot's trained model
    (trained first when missing); see ``bot/rasa_parse.py``."""
    settings = get_settings()
    model = ensure_model(settings)
    env = {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(settings.state_dir / "rasa-cache"),
        "PYTHONPATH": str(REPO_ROOT / "bot"),  # the pipeline's custom components
    }
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "intents.jsonl"
        result = subprocess.run(
            [str(settings.rasa_python), "-m", "rasa_parse", str(model), str(out)],
            input="".join(json.dumps(t) + "\n" for t in texts),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            sys.stderr.write((result.stderr or result.stdout)[-4000:])
            raise typer.Exit(1)
        return [json.loads(line) for line in out.read_text().splitlines()]


def eval_intents(
    input: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="TSV text[<TAB>intent]")],
    predictions: Annotated[Path, typer.Option(help="CSV text,intent to write")],
) -> None:
    """Classify each sentence with the trained Rasa model; print JSON metrics when labelled."""
    texts, gold = read_tsv(input)
    predicted = [p["intent"] for p in parse(texts)]
    write_csv(predictions, ("text", "intent"), list(zip(texts, predicted, strict=True)))
    if gold is not None:
        typer.echo(json.dumps(metrics(gold, predicted)))


SIMMC_FILE = "simmc2-shopper-turns/simmc2.1_dials_dstc11_teststd_public.json.gz"


def simmc_turns(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(domain, shopper turn) pairs of SIMMC 2.1, in file order; with ``limit``, that many
    spread evenly over the file (so both domains are sampled)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        dialogues = json.load(handle)["dialogue_data"]
    turns = [
        (dialogue["domain"], " ".join(turn["transcript"].split()))
        for dialogue in dialogues
        for turn in dialogue["dialogue"]
        if turn.get("transcript", "").strip()
    ]
    if limit is not None and limit < len(turns):
        turns = [turns[i * len(turns) // limit] for i in range(limit)]
    return turns


def scope_report(parsed: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares of in-scope turns called out_of_scope or left to the fallback, and the intents."""
    n = len(parsed)
    out_of_scope = sum(p["intent"] == "out_of_scope" and not p["fallback"] for p in parsed)
    fallback = sum(bool(p["fallback"]) for p in parsed)
    intents = Counter("nlu_fallback" if p["fallback"] else p["intent"] for p in parsed)
    return {
        "n": n,
        "out_of_scope": round(out_of_scope / n, 4) if n else 0.0,
        "nlu_fallback": round(fallback / n, 4) if n else 0.0,
        "intents": dict(intents.most_common()),
    }


def eval_simmc(
    predictions: Annotated[Path, typer.Option(help="CSV domain,text,intent,confidence,fallback")],
    limit: Annotated[
        int | None, typer.Option(help="Evenly spaced sample of this many turns")
    ] = None,
) -> None:
    """Classify SIMMC 2.1's shopper turns (all in scope; from the data folder, never trained
    on); print the out_of_scope and nlu_fallback shares and the intent distribution."""
    path = get_settings().data_dir / SIMMC_FILE
    if not path.exists():
        raise typer.BadParameter(f"{path} is missing (see the data folder's SOURCE.md)")
    turns = simmc_turns(path, limit)
    parsed = parse([text for _, text in turns])
    rows = [
        (domain, text, p["intent"], round(p["confidence"], 4), p["fallback"])
        for (domain, text), p in zip(turns, parsed, strict=True)
    ]
    write_csv(predictions, ("domain", "text", "intent", "confidence", "fallback"), rows)
    typer.echo(json.dumps(scope_report(parsed)))
