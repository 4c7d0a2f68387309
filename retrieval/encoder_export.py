"""Where the sentence encoder's ONNX export lives: one file per version of a model folder,
written by the search's encoder (retrieval/encoder.py) and read by Rasa's NLU too
(bot/components/sentence_encoder.py). Standard library only: Rasa's Python 3.10 environment
imports this module from the repository."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

# Shared by every state folder (files are named by the model's fingerprint, so a changed model
# gets a new file).
ENCODER_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "aisle" / "encoder"
)


def export_path(model_path: Path, cache_dir: Path = ENCODER_CACHE) -> Path:
    """The export of this model folder: named by a fingerprint that changes when the folder's
    files change (name, size, modification time)."""
    stats = sorted(
        (str(p.relative_to(model_path)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in model_path.rglob("*")
        if p.is_file()
    )
    payload = json.dumps([str(model_path.resolve()), stats]).encode()
    return cache_dir / f"minilm-{hashlib.blake2b(payload, digest_size=8).hexdigest()}.onnx"
