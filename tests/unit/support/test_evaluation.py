"""``aisle eval flagging`` on a small file, with a stand-in sentiment classifier."""

import json
from pathlib import Path

import numpy as np
import pytest

from core.evaluation import InputError
from support.evaluation import evaluate_flagging, vader_probabilities

ROWS = [
    {"id": "a", "label": 1, "turns": [{"speaker": "customer", "text": "this is useless, awful"}]},
    {"id": "b", "label": 0, "turns": [{"speaker": "customer", "text": "thanks, lovely"}]},
    {
        "id": "c",
        "label": 1,
        "turns": [
            {"speaker": "customer", "text": "where is my refund"},
            {"speaker": "agent", "text": "Sorry, I can't help with that."},
            {"speaker": "customer", "text": "let me speak to a manager"},
        ],
    },
    {"id": "d", "label": 0, "turns": [{"speaker": "customer", "text": "show me tea"}]},
]


def by_words(texts: list[str]) -> np.ndarray:
    """Negative when a text has a bad word, else neutral."""
    bad = ("useless", "refund", "manager")
    return np.array(
        [(0.9, 0.05, 0.05) if any(b in t for b in bad) else (0.1, 0.8, 0.1) for t in texts]
    )


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_predictions_metrics_and_report(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", ROWS)
    predictions = tmp_path / "out" / "p.jsonl"
    metrics = evaluate_flagging(source, predictions, by_words, threshold=0.5)
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert [p["id"] for p in lines] == ["a", "b", "c", "d"]
    assert all(set(p) == {"id", "score", "flagged"} and 0 <= p["score"] <= 1 for p in lines)
    assert [p["flagged"] for p in lines] == [True, False, True, False]
    assert metrics is not None and metrics["roc_auc"] == 1.0
    assert {"vader_mean_roc_auc", "average_precision", "flag_f1", "n"} <= set(metrics)
    assert (tmp_path / "out" / "p_report.md").exists()
    assert (tmp_path / "out" / "p_report.png").stat().st_size > 0


def test_without_labels_only_predictions(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "label"} for r in ROWS]
    predictions = tmp_path / "p.jsonl"
    assert evaluate_flagging(write(tmp_path / "in.jsonl", rows), predictions, by_words, 0.5) is None
    assert len(predictions.read_text().splitlines()) == len(rows)


def test_a_row_without_turns_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", [{"id": "x", "dialogue": []}])
    with pytest.raises(InputError, match=r"in\.jsonl:1"):
        evaluate_flagging(source, tmp_path / "p.jsonl", by_words, 0.5)


def test_precision_recall_per_source_and_leave_one_source_out(tmp_path: Path) -> None:
    complaint = [{"speaker": "customer", "text": "this is useless, awful"}]
    calm = [{"speaker": "customer", "text": "show me tea"}]
    rows = [
        {
            "id": f"{source}-{i}",
            "source": source,
            "label": i % 2,
            "turns": complaint if i % 2 else calm,
        }
        for source in ("shop", "hotel", "films")
        for i in range(6)
    ]
    metrics = evaluate_flagging(
        write(tmp_path / "in.jsonl", rows), tmp_path / "p.jsonl", by_words, 0.5, leave_one_out=True
    )
    assert metrics is not None
    assert set(metrics["by_source"]) == {"shop", "hotel", "films"}
    for part in metrics["by_source"].values():
        assert part["flag_precision"] == part["flag_recall"] == 1.0
        assert part["fitted_on_other_sources_roc_auc"] == 1.0


def test_vader_probabilities_stand_in_for_the_model() -> None:
    probs = vader_probabilities(["this is awful, I hate it", "the blue one", "love it, great"])
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert probs[:, 0].argmax() == 0 and probs[:, 1].argmax() == 1 and probs[:, 2].argmax() == 2
