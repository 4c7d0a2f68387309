"""``aisle eval flagging``: score dialogues from a JSON-lines file with the live flagging code.

Input rows: ``{"id", "turns": [{"speaker": "customer"|"agent", "text"}]}``, optionally with
``label`` (1/true = unhappy) and ``source``. Predictions: ``{"id", "score", "flagged"}``. With
labels, the metrics (ROC AUC, average precision, precision, recall, accuracy and F1 of
``flagged`` at the shipped threshold, and VADER's mean-compound baseline beside them; per source
when there are several) come back as a dict, and ``<predictions>_report.md`` and
``<predictions>_report.png`` (ROC curves, all sources and each) are written next to the predictions.

With ``leave_one_out``, a logistic regression on the same signals is fitted on all sources but
one and scored on that one, for each source: how a fitted combination transfers to a domain it
never saw, beside the shipped (unfitted) weights.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.evaluation import InputError, Plot, write_report
from core.metrics import accuracy, average_precision, f1, roc_auc
from support.flagging import WEIGHTS, SentimentFn, Turn, annotate, assess


def read_dialogues(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines dialogue file, checked against the eval format."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                turns = row["turns"]
                str(row["id"])
                if not all(t["speaker"] in ("customer", "agent") for t in turns):
                    raise ValueError("speaker must be customer or agent")
                [str(t["text"]) for t in turns]
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a dialogue row ({exc})") from None
            rows.append(row)
    if not rows:
        raise InputError(f"{path} has no dialogues")
    return rows


def to_turns(row: dict[str, Any]) -> list[Turn]:
    """A dialogue row's turns (no sentiment yet)."""
    return [Turn(t["speaker"], str(t["text"])) for t in row["turns"]]


def vader_probabilities(texts: list[str]) -> np.ndarray:
    """A stand-in for the sentiment model (``aisle eval flagging --sentiment vader``): VADER's
    compound c as probabilities (negative, neutral, positive) = (max(0, -c), 1 - |c|,
    max(0, c))."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    compound = np.array([analyzer.polarity_scores(t)["compound"] for t in texts], dtype=float)
    return np.stack([np.maximum(0, -compound), 1 - np.abs(compound), np.maximum(0, compound)], 1)


def vader_mean(rows: Sequence[dict[str, Any]]) -> list[float]:
    """Baseline: unhappiness = (1 - mean VADER compound of the customer turns) / 2."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    out = []
    for row in rows:
        texts = [t["text"] for t in row["turns"] if t["speaker"] == "customer"] or [""]
        compound = np.mean([analyzer.polarity_scores(t)["compound"] for t in texts])
        out.append(float((1 - compound) / 2))
    return out


def score_dialogues(
    rows: Sequence[dict[str, Any]], sentiment: SentimentFn, threshold: float
) -> list[tuple[float, bool, dict[str, float]]]:
    """(score, flagged, signals) per row, sentiment computed in one batch for all customer
    turns."""
    dialogues = [to_turns(row) for row in rows]
    flat = [t for turns in dialogues for t in turns]
    annotated = iter(annotate(flat, sentiment))
    results = []
    for turns in dialogues:
        assessment = assess([next(annotated) for _ in turns], threshold)
        results.append((assessment.score, assessment.flagged, assessment.signals))
    return results


def binary_metrics(labels: Sequence[int], scores: Sequence[float], flagged: Sequence[bool]) -> dict:
    """ROC AUC and average precision of the scores; precision, recall, accuracy and F1 of the
    flag decisions (at the threshold they were made with)."""
    hits = sum(1 for y, f in zip(labels, flagged, strict=True) if y and f)
    return {
        "n": len(labels),
        "unhappy": int(sum(labels)),
        "roc_auc": round(roc_auc(labels, scores), 4),
        "average_precision": round(average_precision(labels, scores), 4),
        "flag_precision": round(hits / max(1, sum(map(bool, flagged))), 4),
        "flag_recall": round(hits / max(1, sum(labels)), 4),
        "flag_accuracy": round(accuracy(labels, flagged), 4),
        "flag_f1": round(f1(labels, flagged), 4),
    }


def leave_one_source_out(
    sources: Sequence[str], labels: Sequence[int], features: Sequence[dict[str, float]]
) -> dict[str, float]:
    """Per source: the ROC AUC of an L2 logistic regression on the flagging signals, fitted on
    the other sources (each weighted equally, classes balanced within each)."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[f[name] for name in WEIGHTS] for f in features], dtype=float)
    y, src = np.asarray(labels), np.asarray(sources)
    weight = np.ones(len(y))
    for source in set(sources):
        for label in (0, 1):
            mask = (src == source) & (y == label)
            weight[mask] = 1.0 / max(1, mask.sum())
    out = {}
    for source in sorted(set(sources)):
        train = src != source
        if len(set(y[train])) < 2 or len(set(y[~train])) < 2:
            continue
        fit = LogisticRegression(C=1.0, max_iter=1000)
        fit.fit(x[train], y[train], sample_weight=weight[train] / weight[train].mean())
        out[source] = round(roc_auc(y[~train].tolist(), fit.predict_proba(x[~train])[:, 1]), 4)
    return out


def evaluate_flagging(
    input: Path,
    predictions: Path,
    sentiment: SentimentFn,
    threshold: float,
    leave_one_out: bool = False,
) -> dict[str, Any] | None:
    """Write predictions for every dialogue in ``input``; metrics when it has labels."""
    rows = read_dialogues(input)
    results = score_dialogues(rows, sentiment, threshold)
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("w", encoding="utf-8") as f:
        for row, (score, flagged, _) in zip(rows, results, strict=True):
            f.write(json.dumps({"id": row["id"], "score": round(score, 6), "flagged": flagged}))
            f.write("\n")
    if not all("label" in row for row in rows):
        return None
    labels = [int(bool(row["label"])) for row in rows]
    scores = [s for s, _, _ in results]
    vader = vader_mean(rows)
    metrics: dict[str, Any] = binary_metrics(labels, scores, [f for _, f, _ in results])
    metrics["vader_mean_roc_auc"] = round(roc_auc(labels, vader), 4)
    metrics["threshold"] = threshold
    sources = sorted({str(row["source"]) for row in rows if "source" in row})
    if len(sources) > 1:
        metrics["by_source"] = {}
        for source in sources:
            idx = [i for i, row in enumerate(rows) if row.get("source") == source]
            part = binary_metrics(
                [labels[i] for i in idx], [scores[i] for i in idx], [results[i][1] for i in idx]
            )
            part["vader_mean_roc_auc"] = round(
                roc_auc([labels[i] for i in idx], [vader[i] for i in idx]), 4
            )
            metrics["by_source"][source] = part
        if leave_one_out:
            fitted = leave_one_source_out(
                [str(row.get("source")) for row in rows], labels, [f for _, _, f in results]
            )
            for source, auc in fitted.items():
                metrics["by_source"][source]["fitted_on_other_sources_roc_auc"] = auc
    curves = {
        "all: Aisle flagging": (labels, scores, metrics["roc_auc"]),
        "all: VADER mean": (labels, vader, metrics["vader_mean_roc_auc"]),
    }
    for source, part in metrics.get("by_source", {}).items():  # how it transfers, per source
        idx = [i for i, row in enumerate(rows) if row.get("source") == source]
        curves[f"{source}: Aisle"] = (
            [labels[i] for i in idx],
            [scores[i] for i in idx],
            part["roc_auc"],
        )
    plot = Plot(
        "Flagging unhappy conversations",
        lines=_roc_curves(curves),
        guides=[([0, 1], [0, 1])],
        xlabel="false positive rate",
        ylabel="true positive rate",
        size=(5.2, 5.2),
    )
    stem = predictions.with_name(predictions.stem + "_report")
    write_report(stem, plot.title, metrics, plot, predictions)
    return metrics


def _roc_curves(
    curves: Mapping[str, tuple[Sequence[int], Sequence[float], float]],
) -> dict[str, tuple[Sequence[float], Sequence[float]]]:
    """{name (AUC): (false positive rates, true positive rates)} of
    {name: (labels, scores, AUC)}."""
    from sklearn.metrics import roc_curve

    lines = {}
    for name, (labels, scores, auc) in curves.items():
        fpr, tpr, _ = roc_curve(labels, scores)
        lines[f"{name} (AUC {auc:.3f})"] = (fpr.tolist(), tpr.tolist())
    return lines
