"""The console's SVG charts: both axes, tick labels and an axis title; a sentence when empty."""

import re

from gateway.console.charts import bars, line, sparkline


def ticks(svg: str) -> list[str]:
    return re.findall(r'<text [^>]*class="label[^"]*">([^<]*)</text>', svg)


def test_bars_have_axes_ticks_and_titles() -> None:
    svg = bars([1, 0, 4], ["2026-12-01", "2026-12-02", "2026-12-03"], "Per day")
    assert svg.count('class="axis"') == 2
    assert ticks(svg) == ["0", "4", "2026-12-01", "2026-12-03", "day (UTC)"]
    assert svg.count("<rect") == 3 and "2026-12-03: 4</title>" in svg


def test_sentiment_lines_run_from_minus_one_to_plus_one() -> None:
    svg = sparkline([0.5, None, -0.7], "Sentiment")
    assert ticks(svg) == ["+1", "0", "-1", "turn 1", "turn 3", "shopper turn"]
    assert 'class="pos"' in svg and 'class="neg"' in svg and svg.count("<circle") == 2


def test_empty_charts_say_so() -> None:
    assert "Nothing flagged" in bars([0, 0], ["a", "b"], "Flagged", empty="Nothing flagged")
    assert "No shopper messages yet" in sparkline([], "Sentiment")
    assert "<circle" not in line([None, None], ["a", "b"], "Mean")
