"""Write a fine-tuned model's files into its version folder: transformers checkpoint,
``tokenizer.json``, and ONNX graphs (fp32 and dynamically int8-quantised)."""

from __future__ import annotations

import logging
from pathlib import Path

import torch
from transformers import PreTrainedTokenizerFast

from models.backends import TORCH_DIR
from models.network import PooledModel
from models.onnx_runtime import ONNX_FILES

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]


def save_model(
    model: PooledModel, tokenizer: PreTrainedTokenizerFast, folder: Path, pairs: bool
) -> None:
    """Save the checkpoint and tokenizer, and export both ONNX variants into ``folder``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / TORCH_DIR)
    tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    sample = tokenizer(
        ["a short example"],
        ["and its pair"] if pairs else None,
        return_token_type_ids=True,
        return_tensors="pt",
    )
    fp32 = folder / ONNX_FILES["onnx"]
    # The TorchScript exporter (dynamo=False): the dynamo one needs onnxscript, which we do
    # not ship, and gives the same graph for this model.
    torch.onnx.export(
        model.eval(),
        tuple(sample[name] for name in INPUT_NAMES),
        str(fp32),
        dynamo=False,
        input_names=INPUT_NAMES,
        output_names=["logits"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES}
        | {"logits": {0: "batch"}},
        opset_version=17,
    )
    logging.getLogger("root").setLevel(logging.ERROR)  # quantize_dynamic's pre-processing tip
    quantize_dynamic(str(fp32), str(folder / ONNX_FILES["onnx-int8"]), weight_type=QuantType.QInt8)
