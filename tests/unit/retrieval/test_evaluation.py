"""`eval retrieval` protocol on a tiny Home Depot-format file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.evaluation import InputError
from core.settings import Settings
from retrieval.evaluation import evaluate, read_relevance_set

PAIRS = """"id","product_uid","product_title","search_term","relevance"
1,100001,"Simpson Strong-Tie 12-Gauge Angle","angle bracket",3
2,100001,"Simpson Strong-Tie 12-Gauge Angle","l bracket",2.5
3,100002,"BEHR Premium Textured DeckOver 1-gal. Tugboat Wood Coating","deck over",3
4,100003,"Cordless Drill Kit 18-Volt","deck over",1
5,100004,"Steel L Bracket Corner Brace 4 in.","l bracket",3
6,100005,"Caf\xe9 Curtain Rod Bracket","curtain rod",2
"""


def test_relevance_set_keeps_relevant_products_per_term(tmp_path: Path) -> None:
    path = tmp_path / "hd.csv"
    path.write_bytes(PAIRS.encode("latin-1"))
    data = read_relevance_set(path)
    assert data.titles["100005"] == "Café Curtain Rod Bracket"
    assert data.relevant == {
        "angle bracket": {"100001"},
        "l bracket": {"100001", "100004"},
        "deck over": {"100002"},
    }
    path.write_text('"id","product_uid","product_title","search_term","relevance"\n1,2,"x","y",1\n')
    with pytest.raises(InputError, match="no search term"):
        read_relevance_set(path)


def test_evaluate_reports_recall_of_each_method(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    path = tmp_path / "hd.csv"
    path.write_bytes(PAIRS.encode("latin-1"))
    metrics = evaluate(path, tmp_path / "eval", make_settings(), k=2)
    assert (metrics["products"], metrics["search_terms"], metrics["k"]) == (5, 3, 2)
    # BM25 misses 'deck over' ("DeckOver" is one token) and ranks the Café bracket above
    # Simpson's for 'l bracket'; dense misses Simpson's angle for 'angle bracket'. Fusion
    # recovers both: (1 + 1/2 + 1) / 3.
    recalls = [metrics[f"{m}_recall@2"] for m in ("bm25", "dense", "hybrid")]
    assert recalls == [0.5, 0.5, 0.8333]
