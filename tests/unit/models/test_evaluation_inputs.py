import pytest

from core.evaluation import InputError
from models.evaluation import normalise_label, sentiment_breakdown


@pytest.mark.parametrize(
    ("raw", "label"),
    [("Positive", "positive"), ("neg", "negative"), ("1", "positive"), (" neutral ", "neutral")],
)
def test_normalise_label(raw, label):
    assert normalise_label(raw) == label


def test_unknown_label_is_an_input_error():
    with pytest.raises(InputError):
        normalise_label("meh")


def test_sentiment_breakdown_per_label_per_kind_and_plain_requests_read_neutral():
    truth = ["neutral", "neutral", "neutral", "neutral", "negative", "positive"]
    kinds = ["request", "refinement", "handoff", "typo", "sarcasm", "typo"]
    predicted = ["neutral", "negative", "negative", "neutral", "negative", "neutral"]
    out = sentiment_breakdown(truth, predicted, kinds)
    assert out["per_label"] == {
        "negative": {"model": 1.0, "rows": 1},
        "neutral": {"model": 0.5, "rows": 4},
        "positive": {"model": 0.0, "rows": 1},
    }
    assert out["per_kind"]["neutral/refinement"] == {"model": 0.0, "rows": 1}
    assert out["per_kind"]["positive/typo"] == {"model": 0.0, "rows": 1}
    # handoff is not a plain request; the positive typo is not neutral
    assert out["plain_requests_neutral"] == {"model": round(2 / 3, 4), "rows": 3}
    assert set(sentiment_breakdown(truth, predicted, None)) == {"per_label"}
