import csv
from pathlib import Path

from search.personalization_evaluation import (
    Case,
    hit_rate_plot,
    metrics,
    split_of,
    write_predictions,
)


def test_users_split_about_one_in_five_to_dev_and_stably() -> None:
    splits = [split_of(str(user)) for user in range(1000)]
    assert 150 < splits.count("dev") < 250
    assert splits == [split_of(str(user)) for user in range(1000)]


ROWS = [
    (Case("1", "ic-196", "soft drinks"), 1, 0),
    (Case("1", "ic-12427", "cookies cakes"), 12, 5),
    (Case("2", "ic-196", "soft drinks"), 0, 30),
]


def test_predictions_use_the_designed_columns_and_raw_product_ids(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    write_predictions(ROWS, path)
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "user_id",
        "product_id",
        "query",
        "rank_with_profile",
        "rank_without_profile",
    ]
    assert rows[0] == {
        "user_id": "1",
        "product_id": "196",
        "query": "soft drinks",
        "rank_with_profile": "1",
        "rank_without_profile": "0",
    }


def test_metrics_and_report(tmp_path: Path) -> None:
    scores = metrics(ROWS)
    assert scores["hr@10_with_profile"] == round(1 / 3, 4)
    assert scores["hr@10_without_profile"] == round(1 / 3, 4)
    assert scores["users"] == 2
    plot = hit_rate_plot(ROWS, "test")
    with_profile, anonymous = plot.lines["with profile"], plot.lines["anonymous"]
    assert with_profile[1][:12] == [1 / 3] * 11 + [2 / 3]  # ranks 1 and 12
    assert anonymous[1][4] == 1 / 3 and anonymous[1][29] == 2 / 3  # ranks 5 and 30
