"""The shared evaluation plumbing: reader, Home Depot pairs, report writer."""

import gzip
from pathlib import Path

import pytest

from core.evaluation import InputError, Plot, read_pairs, read_rows, write_csv, write_report


def test_read_rows_falls_back_to_latin1_and_reads_tsv_with_literal_quotes(tmp_path):
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes('id,text\n1,"caf\xe9, ok"\n'.encode("latin-1"))
    assert read_rows(csv_path, ["id", "text"]) == [{"id": "1", "text": "café, ok"}]
    tsv_path = tmp_path / "in.tsv"
    tsv_path.write_text('id\ttext\n1\ta, b\n2\t"quoted" start\n')
    assert [r["text"] for r in read_rows(tsv_path, ["id", "text"])] == ["a, b", '"quoted" start']


def test_read_rows_names_missing_columns_and_unreadable_files(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(InputError, match="lacks column"):
        read_rows(path, ["id", "text"])
    with pytest.raises(InputError, match="nope"):
        read_rows(tmp_path / "nope.csv", ["id"])


def test_read_pairs_reads_gzipped_latin1_and_keeps_unrated_rows_as_none(tmp_path):
    path = tmp_path / "hd.csv.gz"
    text = (
        '"id","product_uid","product_title","search_term","relevance"\n'
        '1,100," Caf\xe9 Lamp ","lamp ",2.33\n'
        "2,101,Rod,rod,\n"
        "3,102,Rod,rod,n/a\n"
    )
    with gzip.open(path, "wt", encoding="latin-1", newline="") as f:
        f.write(text)
    pairs = read_pairs(path)
    assert (pairs[0].product_title, pairs[0].search_term, pairs[0].relevance) == (
        "Café Lamp",
        "lamp",
        2.33,
    )
    assert [p.relevance for p in pairs[1:]] == [None, None]


def test_write_csv_and_report(tmp_path: Path):
    predictions = tmp_path / "out" / "p.csv"
    write_csv(predictions, ("id", "score"), [(1, 0.5)])
    assert predictions.read_text().splitlines() == ["id,score", "1,0.5"]
    metrics = {"accuracy": {"model": 0.75, "vader": 0.5}, "rows": 4, "depths": [{"n": 0, "r": 1}]}
    plot = Plot("t", bars={"all": {"model": 0.75, "vader": 0.5}}, ylim=(0, 1))
    report = write_report(tmp_path / "out" / "p.v1_report", "Title", metrics, plot, predictions)
    assert report == tmp_path / "out" / "p.v1_report.md"
    text = report.read_text()
    assert text.startswith("# Title\n\nPredictions: `p.csv`")
    assert "| accuracy.model | 0.75 |" in text and "| rows | 4 |" in text
    assert "## depths" in text and "| 0 | 1 |" in text
    assert "![t](p.v1_report.png)" in text
    assert (tmp_path / "out" / "p.v1_report.png").stat().st_size > 1000
