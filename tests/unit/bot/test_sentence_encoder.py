"""The Rasa NLU sentence encoder (numpy MiniLM, run in the Rasa environment) gives the same
embeddings as the reference transformers model, and adds them as dense sentence features."""

from __future__ import annotations

import numpy as np

from core.settings import Settings
from tests.helpers.rasa_env import needs_rasa_env, run_in_rasa_env

pytestmark = needs_rasa_env

TEXTS = ["ciao", "pop the third one in my basket", "show me Dove soap under 60"]
SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from components.sentence_encoder import SentenceEncoderFeaturizer
config = {**SentenceEncoderFeaturizer.get_default_config(), "scale": 2.0}
messages = [Message({"text": t}) for t in sys.argv[1:]]
SentenceEncoderFeaturizer.create(config, None, None, None).process(messages)
print(json.dumps([m.get_dense_features("text")[1].features[0].tolist() for m in messages]))
"""


def reference_embeddings(texts: list[str]) -> np.ndarray:
    """sentence-transformers' all-MiniLM-L6-v2: mean-pooled, normalised BERT outputs."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    folder = Settings(_env_file=None).encoder_path()
    tokenizer, model = AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder)
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=1).numpy()


def test_features_are_the_scaled_reference_embeddings() -> None:
    output, _ = run_in_rasa_env(SCRIPT, *TEXTS)
    features = np.array(output)
    assert features.shape == (3, 384)
    np.testing.assert_allclose(features / 2.0, reference_embeddings(TEXTS), atol=1e-4)


ONNX_SCRIPT = """
import json, sys
from pathlib import Path
from components.sentence_encoder import MiniLM, encoder_folder, export_path
folder = encoder_folder()
onnx, plain = MiniLM(folder, export_path(folder)), MiniLM(folder)
print(json.dumps({
    "onnx": onnx.encode(sys.argv[1:]).tolist(),
    "numpy": plain.encode(sys.argv[1:]).tolist(),
    "sessions": [onnx.onnx_session() is not None, plain.onnx_session() is not None],
}))
"""


def test_the_search_s_onnx_export_gives_the_same_vectors_as_numpy() -> None:
    from retrieval.encoder import MiniLMEncoder
    from retrieval.encoder_export import ENCODER_CACHE

    MiniLMEncoder(Settings(_env_file=None).encoder_path(), ENCODER_CACHE).embed_query("warm")
    output, _ = run_in_rasa_env(ONNX_SCRIPT, *TEXTS)
    assert isinstance(output, dict) and output["sessions"] == [True, False]
    np.testing.assert_allclose(np.array(output["onnx"]), np.array(output["numpy"]), atol=1e-5)
    np.testing.assert_allclose(np.array(output["onnx"]), reference_embeddings(TEXTS), atol=1e-4)
