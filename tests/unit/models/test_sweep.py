"""Run names of the recipe sweep."""

import pytest

from models.sweep import DEFAULT_RUNS, parse_run


def test_run_names_give_the_model_and_its_overrides():
    assert parse_run("r6-2000-lr1e4") == (
        "ranker",
        {"steps": 2000, "layers": 6, "learning_rate": 1e-4},
    )
    assert parse_run("r3-2000-mean") == ("ranker", {"steps": 2000, "layers": 3, "pooling": "mean"})
    assert parse_run("s6-2500-len128") == (
        "sentiment",
        {"steps": 2500, "layers": 6, "batches_per_epoch": 2500, "max_length": 128},
    )
    kinds = {"r": "ranker", "s": "sentiment"}
    assert DEFAULT_RUNS and [parse_run(n)[0] for n in DEFAULT_RUNS] == [
        kinds[n[0]] for n in DEFAULT_RUNS
    ]


def test_an_unknown_option_is_refused():
    with pytest.raises(ValueError, match="unknown option"):
        parse_run("r3-100-fast")
