import pytest

from models.evaluation import InputError, normalise_label, read_rows


def test_read_rows_falls_back_to_latin1_and_reads_tsv(tmp_path):
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes('id,text\n1,"caf\xe9, ok"\n'.encode("latin-1"))
    assert read_rows(csv_path, ["id", "text"]) == [{"id": "1", "text": "café, ok"}]
    tsv_path = tmp_path / "in.tsv"
    tsv_path.write_text("id\ttext\n1\ta, b\n")
    assert read_rows(tsv_path, ["id", "text"])[0]["text"] == "a, b"


def test_read_rows_names_missing_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(InputError, match="lacks column"):
        read_rows(path, ["id", "text"])


@pytest.mark.parametrize(
    ("raw", "label"),
    [("Positive", "positive"), ("neg", "negative"), ("1", "positive"), (" neutral ", "neutral")],
)
def test_normalise_label(raw, label):
    assert normalise_label(raw) == label


def test_unknown_label_is_an_input_error():
    with pytest.raises(InputError):
        normalise_label("meh")
