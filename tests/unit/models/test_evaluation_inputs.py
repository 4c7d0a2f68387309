import pytest

from core.evaluation import InputError
from models.evaluation import normalise_label


@pytest.mark.parametrize(
    ("raw", "label"),
    [("Positive", "positive"), ("neg", "negative"), ("1", "positive"), (" neutral ", "neutral")],
)
def test_normalise_label(raw, label):
    assert normalise_label(raw) == label


def test_unknown_label_is_an_input_error():
    with pytest.raises(InputError):
        normalise_label("meh")
