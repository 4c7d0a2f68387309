"""Train --quick models into a throw-away state folder, then load, predict and evaluate them
through the real CLI; damaged or missing artifacts are refused with a clear message."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from models.artifacts import ArtifactError, current_folder
from models.onnx_runtime import OnnxModel
from models.ranker import Ranker
from models.sentiment import LABELS, SentimentModel

if not (Settings().data_dir / "home-depot-search-relevance").is_dir():
    pytest.skip("the shared data folder is not available", allow_module_level=True)


ARTIFACT_FILES = (
    "MODEL_CARD.md",
    "metrics.json",
    "manifest.json",
    "model.onnx",
    "model.int8.onnx",
    "tokenizer.json",
)


def aisle(state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"AISLE_STATE_DIR": str(state_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "aisle.cli", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def state_dir(trained_models: Settings) -> Path:
    """The integration stack's state folder, with its --quick models (conftest.py)."""
    return trained_models.state_dir


@pytest.fixture
def settings(state_dir: Path) -> Settings:
    return Settings(_env_file=None, state_dir=state_dir)


def test_artifacts_have_a_model_card_metrics_and_onnx(settings):
    for name in ("ranker", "sentiment"):
        folder = current_folder(settings.models_dir, name)
        for file in ARTIFACT_FILES:
            assert (folder / file).is_file(), file
        assert "Dev metrics" in (folder / "MODEL_CARD.md").read_text()


def test_ranker_scores_and_backends_agree(settings):
    ranker = Ranker.load(settings, backend="torch")
    texts = ["DEWALT cordless drill", "garden hose 50 ft", "white interior paint"]
    scores = ranker.score("cordless drill", texts)
    assert len(scores) == 3 and all(0 < s <= 1 for s in scores)
    onnx = Ranker.load(settings, backend="onnx").score("cordless drill", texts)
    np.testing.assert_allclose(scores, onnx, atol=1e-4)
    assert Ranker.load(settings).score("drill", []) == []


def test_sentiment_predicts_calibrated_labels_and_the_onnx_runner_agrees(settings):
    model = SentimentModel.load(settings, backend="onnx")
    texts = ["I love this dress", "these are all ugly and way too expensive"]
    predicted = model.predict(texts)
    assert all(label in LABELS and 0 < score <= 1 for label, score in predicted)
    binary = model.predict(texts, allowed=("negative", "positive"))
    assert all(label in ("negative", "positive") and score >= 0.5 for label, score in binary)
    # What the Rasa component runs (onnxruntime + tokenizers only) gives the same numbers.
    runner = OnnxModel(model.folder, backend="onnx")
    np.testing.assert_allclose(runner.probabilities(texts), model.probabilities(texts), atol=1e-6)
    torch_probs = SentimentModel.load(settings, backend="torch").probabilities(texts)
    np.testing.assert_allclose(torch_probs, model.probabilities(texts), atol=1e-4)


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_eval_ranking_prints_model_and_baselines(state_dir, tmp_path):
    rows = [
        {"id": i, "product_uid": 100 + i, "product_title": title, "search_term": term,
         "relevance": rel}
        for i, (term, title, rel) in enumerate([
            ("cordless drill", "DEWALT 20V cordless drill kit", 3),
            ("cordless drill", "Garden hose 50 ft", 1),
            ("cordless drill", "Drill bit set", 2),
            ("white paint", "BEHR white interior paint", 3),
            ("white paint", "Paint roller", 2),
            ("white paint", "Toilet seat", 1),
        ])
    ]  # fmt: skip
    predictions = tmp_path / "out" / "ranking.csv"
    source = write_csv(tmp_path / "in.csv", rows)
    done = aisle(
        state_dir, "eval", "ranking", "--input", str(source), "--predictions", str(predictions)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads(done.stdout.strip().splitlines()[-1])
    for metric in ("pairwise_accuracy", "ndcg@10"):
        assert set(metrics[metric]) == {"model", "random", "bm25", "minilm_cosine"}
    with predictions.open() as f:
        written = list(csv.DictReader(f))
    assert [r["id"] for r in written] == [str(i) for i in range(6)]
    assert (tmp_path / "out" / "ranking_report.png").stat().st_size > 1000
    assert (tmp_path / "out" / "ranking_report.md").is_file()

    unlabelled = write_csv(
        tmp_path / "plain.csv", [{k: v for k, v in r.items() if k != "relevance"} for r in rows]
    )
    plain = tmp_path / "plain_pred.csv"
    done = aisle(
        state_dir, "eval", "ranking", "--input", str(unlabelled), "--predictions", str(plain)
    )
    assert done.returncode == 0 and done.stdout.strip() == ""
    assert plain.is_file()


def test_eval_sentiment_reports_accuracy_per_source_next_to_vader(state_dir, tmp_path):
    rows = [
        {"id": 1, "text": "Love it, fits perfectly", "label": "positive", "source": "clothing"},
        {"id": 2, "text": "The zipper broke on day one", "label": "negative", "source": "clothing"},
        {"id": 3, "text": "worst airline ever", "label": "negative", "source": "airline"},
        {"id": 4, "text": "thanks, great crew!", "label": "positive", "source": "airline"},
    ]
    predictions = tmp_path / "sentiment.csv"
    source = write_csv(tmp_path / "s.csv", rows)
    done = aisle(
        state_dir, "eval", "sentiment", "--input", str(source), "--predictions", str(predictions)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads(done.stdout.strip().splitlines()[-1])
    assert metrics["label_set"] == "binary"
    assert set(metrics["accuracy"]) == {"model", "vader"}
    assert set(metrics["per_source"]) == {"airline", "clothing"}
    with predictions.open() as f:
        written = list(csv.DictReader(f))
    assert {r["label"] for r in written} <= {"negative", "positive"}
    assert (tmp_path / "sentiment_report.png").is_file()


def test_missing_models_are_refused_with_the_command_to_train_them(tmp_path):
    rows = [{"id": 1, "text": "hello"}]
    source = write_csv(tmp_path / "s.csv", rows)
    done = aisle(
        tmp_path,
        "eval",
        "sentiment",
        "--input",
        str(source),
        "--predictions",
        str(tmp_path / "p.csv"),
    )
    assert done.returncode == 2
    assert "aisle train sentiment" in done.stderr


def test_corrupt_model_is_refused(state_dir, tmp_path):
    copy = tmp_path / "state"
    shutil.copytree(state_dir / "models", copy / "models")
    settings = Settings(_env_file=None, state_dir=copy)
    folder = current_folder(settings.models_dir, "ranker")
    for name in ("model.int8.onnx", "model.onnx"):
        (folder / name).write_bytes(b"not a model")
    with pytest.raises(ArtifactError, match="corrupt"):
        Ranker.load(settings, backend="onnx")
    (folder / "torch" / "model.safetensors").unlink()
    with pytest.raises(ArtifactError, match="lacks"):
        Ranker.load(settings, backend="torch")


def test_inference_modules_do_not_import_torch():
    code = (
        "import sys, models.ranker, models.sentiment, models.onnx_runtime, models.artifacts; "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_sentiment_training_keeps_the_pretrained_word_embeddings(settings):
    from safetensors.torch import load_file
    from transformers import AutoModel

    trained = load_file(
        str(current_folder(settings.models_dir, "sentiment") / "torch" / "model.safetensors")
    )
    base = AutoModel.from_pretrained(settings.encoder_path(), add_pooling_layer=False).state_dict()
    table = "embeddings.word_embeddings.weight"
    assert np.array_equal(trained[table].numpy(), base[table].numpy())
    layer = "encoder.layer.5.output.dense.weight"
    assert not np.array_equal(trained[layer].numpy(), base[layer].numpy())  # the rest is tuned
