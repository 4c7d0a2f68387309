"""``aisle eval intents``: the trained Rasa model's intent for each sentence of a TSV file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

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


def classify(texts: list[str]) -> list[str]:
    """Intents from the current bot's trained model (trained first when missing)."""
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
        return [json.loads(line)["intent"] for line in out.read_text().splitlines()]


def eval_intents(
    input: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="TSV text[<TAB>intent]")],
    predictions: Annotated[Path, typer.Option(help="CSV text,intent to write")],
) -> None:
    """Classify each sentence with the trained Rasa model; print JSON metrics when labelled."""
    texts, gold = read_tsv(input)
    predicted = classify(texts)
    write_csv(predictions, ("text", "intent"), list(zip(texts, predicted, strict=True)))
    if gold is not None:
        typer.echo(json.dumps(metrics(gold, predicted)))
