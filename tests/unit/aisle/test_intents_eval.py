import pytest

from aisle.bot_model import CLINC_IN_SCOPE, out_of_scope_examples
from aisle.cli.intents import metrics, read_tsv
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
