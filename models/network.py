"""The network both models fine-tune: the MiniLM encoder with a mean-pooling head.

all-MiniLM-L6-v2 was trained with mean pooling, and its [CLS] state barely varies between
inputs, so the usual [CLS]-pooler classifier starts from no signal and, within the training
budget, collapsed to a constant score (docs/models.md, "Design choices (measured)"). Pooling the
tokens keeps what the encoder already knows:

- ``mean``: logits = Linear(mean of all tokens), for the sentiment classifier;
- ``pair``: the cross-encoded query tokens (segment A) and product tokens (segment B) are
  mean-pooled separately and L2-normalised; score = Linear(u ⊙ v), initialised to ``scale · 1``
  so that the untrained ranker scores scale × cosine(u, v) and training refines it.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModel, PreTrainedModel

HEAD_FILE = "head.safetensors"
HEAD_CONFIG = "head.json"


class PooledModel(torch.nn.Module):
    """Encoder + pooling + linear head; ``forward`` returns logits (batch × outputs)."""

    def __init__(self, encoder: PreTrainedModel, pooling: str, outputs: int) -> None:
        super().__init__()
        if pooling not in ("mean", "pair"):
            raise ValueError(f"pooling must be mean or pair, not {pooling!r}")
        self.encoder, self.pooling = encoder, pooling
        self.head = torch.nn.Linear(encoder.config.hidden_size, outputs)
        self.dropout = torch.nn.Dropout(0.1)

    @classmethod
    def from_base(cls, path: str, pooling: str, outputs: int, layers: int) -> PooledModel:
        """A fresh model on the first ``layers`` layers of the encoder at ``path``."""
        encoder = AutoModel.from_pretrained(path, num_hidden_layers=layers, add_pooling_layer=False)
        model = cls(encoder, pooling, outputs)
        if pooling == "pair":
            with torch.no_grad():
                model.head.weight.fill_(10.0)
                model.head.bias.zero_()
        return model

    @property
    def device(self) -> torch.device:
        """Where the weights are (training moves the model to the GPU when there is one)."""
        return self.head.weight.device

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        if self.pooling == "mean":
            features = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        else:
            second = token_type_ids.unsqueeze(-1).to(hidden.dtype) * mask
            first = mask - second
            u = (hidden * first).sum(1) / first.sum(1).clamp(min=1)
            v = (hidden * second).sum(1) / second.sum(1).clamp(min=1)
            u = torch.nn.functional.normalize(u, dim=-1)
            v = torch.nn.functional.normalize(v, dim=-1)
            features = u * v
        return self.head(self.dropout(features))

    def save(self, folder: Path) -> None:
        """The encoder as a transformers checkpoint plus the head's weights and settings."""
        self.encoder.save_pretrained(folder)
        save_file(self.head.state_dict(), str(folder / HEAD_FILE))
        head = {"pooling": self.pooling, "outputs": self.head.out_features}
        (folder / HEAD_CONFIG).write_text(json.dumps(head) + "\n")

    @classmethod
    def load(cls, folder: Path) -> PooledModel:
        """A model saved with ``save``, in eval mode."""
        head = json.loads((folder / HEAD_CONFIG).read_text())
        model = cls(AutoModel.from_pretrained(str(folder), add_pooling_layer=False), **head)
        model.head.load_state_dict(load_file(str(folder / HEAD_FILE)))
        return model.eval()
