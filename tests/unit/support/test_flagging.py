"""The unhappiness score: signals, the flag, its reason and tipping turn."""

import numpy as np

from support.flagging import Turn, annotate, assess, signals

NEUTRAL = (0.1, 0.8, 0.1)
NEGATIVE = (0.9, 0.08, 0.02)
POSITIVE = (0.02, 0.08, 0.9)


def customer(text: str, sentiment=NEUTRAL, intent: str | None = None) -> Turn:
    return Turn("customer", text, sentiment, intent)


def agent(text: str) -> Turn:
    return Turn("agent", text)


def test_a_calm_search_is_not_flagged() -> None:
    turns = [customer("show me green tea"), agent("Here are 5 for green tea:")]
    assessment = assess(turns, threshold=0.5)
    assert not assessment.flagged
    assert assessment.score < 0.2


def test_two_complaints_flag_the_conversation_at_the_second() -> None:
    turns = [
        customer("show me shampoo"),
        agent("Here are 5 for shampoo:"),
        customer("these are all ugly and way too expensive", NEGATIVE),
        agent("Updated: here are 5"),
        customer("these are all ugly and way too expensive", NEGATIVE),
        agent("Updated: here are 5"),
    ]
    assessment = assess(turns, threshold=0.5)
    assert assessment.flagged
    assert assessment.reason in {"explicit complaint", "negative sentiment"}
    assert assessment.tipping_turn in (2, 4)
    assert assess(turns[: assessment.tipping_turn], 0.5).flagged is False


def test_handoff_and_failures_are_signals_without_any_sentiment() -> None:
    turns = [
        customer("asdf qwerty", intent="nlu_fallback"),
        agent("Sorry, I didn't quite get that."),
        customer("I couldn't find it, let me talk to a real person"),
        agent("Sorry, I couldn't find any shoes."),
    ]
    values = signals(turns)
    assert values["handoff"] == 1.0
    assert values["failures"] == 1.0
    assert values["complaints"] == 0.0


def test_praise_lowers_the_score() -> None:
    happy = [customer("great, love these", POSITIVE)]
    flat = [customer("ok", NEUTRAL)]
    assert assess(happy, 0.5).score < assess(flat, 0.5).score


def test_annotate_fills_only_missing_customer_sentiment() -> None:
    calls: list[list[str]] = []

    def classify(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.tile(np.array(NEGATIVE), (len(texts), 1))

    turns = [Turn("customer", "bad"), agent("sorry"), customer("fine", POSITIVE)]
    annotated = annotate(turns, classify)
    assert calls == [["bad"]]
    assert annotated[0].sentiment == NEGATIVE
    assert annotated[1].sentiment is None
    assert annotated[2].sentiment == POSITIVE
