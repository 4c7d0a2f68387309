import gzip
import json

import pytest

from aisle.bot_model import CLINC_IN_SCOPE, out_of_scope_examples
from aisle.cli.intents import metrics, read_tsv, scope_report, simmc_turns
from core.settings import Settings


def test_tsv_with_and_without_labels(tmp_path):
    labelled = tmp_path / "l.tsv"
    labelled.write_text('text\tintent\nshow me "red" shoes\tsearch_products\nbye\tgoodbye\n')
    assert read_tsv(labelled) == (['show me "red" shoes', "bye"], ["search_products", "goodbye"])
    bare = tmp_path / "b.tsv"
    bare.write_text("text\nhello\n")
    assert read_tsv(bare) == (["hello"], None)


def test_macro_f1_averages_over_the_gold_intents():
    gold = ["a", "a", "b", "b"]
    predicted = ["a", "b", "b", "b"]
    result = metrics(gold, predicted)
    assert result["accuracy"] == 0.75
    # a: P=1, R=.5, F1=.667; b: P=.667, R=1, F1=.8
    assert result["macro_f1"] == round((2 / 3 + 0.8) / 2, 4)


def test_out_of_scope_examples_leave_out_what_a_shop_handles():
    clinc = Settings(_env_file=None).data_dir / "clinc150-oos-eval" / "data_full.json.gz"
    if not clinc.exists():
        pytest.skip("the data folder has no CLINC150")
    examples = out_of_scope_examples(clinc)
    assert len(examples) > 200
    assert "where is my order now" not in examples
    assert all("[" not in e and "(" not in e for e in examples)
    assert "order_status" in CLINC_IN_SCOPE


def test_simmc_turns_are_every_shopper_turn_or_an_even_sample(tmp_path):
    dialogues = [
        {"domain": d, "dialogue": [{"transcript": f"{d} turn {i}"} for i in range(3)]}
        for d in ("fashion", "furniture")
    ]
    path = tmp_path / "simmc.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump({"dialogue_data": dialogues}, handle)
    assert len(simmc_turns(path)) == 6
    assert simmc_turns(path, limit=2) == [
        ("fashion", "fashion turn 0"),
        ("furniture", "furniture turn 0"),
    ]


def test_scope_report_counts_fallbacks_apart_from_out_of_scope():
    parsed = [
        {"intent": "out_of_scope", "fallback": False},
        {"intent": "out_of_scope", "fallback": True},
        {"intent": "add_to_cart", "fallback": False},
        {"intent": "add_to_cart", "fallback": False},
    ]
    report = scope_report(parsed)
    assert (report["n"], report["out_of_scope"], report["nlu_fallback"]) == (4, 0.25, 0.25)
    assert report["intents"] == {"add_to_cart": 2, "out_of_scope": 1, "nlu_fallback": 1}
