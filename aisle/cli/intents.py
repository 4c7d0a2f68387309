"""``aisle eval intents``: the trained Rasa model's intent for each sentence of a TSV file."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from aisle.bot_model import ensure_model
from core.settings import REPO_ROOT, get_settings


def read_tsv(path: Path) -> tuple[list[str], list[str] | None]:
    """Texts and, when the file has an ``intent`` column, their labels."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and "text" not in rows[0]:
        raise typer.BadParameter(f"{path} needs a header row with a `text` column")
    texts = [row["text"] or "" for row in rows]
    labelled = bool(rows) and "intent" in rows[0]
    return texts, ([(row["intent"] or "").strip() for row in rows] if labelled else None)


def metrics(gold: list[str], predicted: list[str]) -> dict[str, float | int]:
    """Accuracy and macro-F1 over the intents present in ``gold``."""
    true_pos: Counter[str] = Counter()
    pred_count, gold_count = Counter(predicted), Counter(gold)
    for g, p in zip(gold, predicted, strict=True):
        true_pos[g] += g == p
    f1s = []
    for label in gold_count:
        precision = true_pos[label] / pred_count[label] if pred_count[label] else 0.0
        recall = true_pos[label] / gold_count[label]
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {
        "n": len(gold),
        "accuracy": round(sum(true_pos.values()) / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
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
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "intent"])
        writer.writerows(zip(texts, predicted, strict=True))
    if gold is not None:
        typer.echo(json.dumps(metrics(gold, predicted)))
