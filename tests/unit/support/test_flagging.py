"""The unhappiness score: signals, the flag, its reason and tipping turn."""

import numpy as np
import pytest
import yaml

from core.settings import REPO_ROOT
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


def test_a_complaint_conversation_is_flagged_on_the_complaint_turn() -> None:
    turns = [
        customer("show me shampoo"),
        agent("Here are 5 for shampoo:"),
        customer("these are all ugly and way too expensive", NEGATIVE),
        agent("Updated: here are 5"),
    ]
    assessment = assess(turns, threshold=0.5)
    assert assessment.flagged and assessment.reason == "explicit complaint"
    assert assessment.tipping_turn == 2


@pytest.mark.parametrize("sentiment", [NEUTRAL, NEGATIVE])
def test_a_first_turn_alone_is_never_flagged(sentiment) -> None:
    assert not assess([customer("shampoo", sentiment), agent("Here are 5:")], 0.5).flagged


def test_plain_scripted_conversations_are_not_flagged() -> None:
    turns = [
        customer("show me shampoo", NEGATIVE, "search_products"),
        agent("Here are 5 for shampoo:"),
        customer("anything cheaper?", intent="refine_search"),
        agent("Here are 5 cheaper ones:"),
        customer("add the second one to my cart", intent="add_to_cart"),
        agent("Added it to your cart."),
        customer("remove it", NEGATIVE, "remove_from_cart"),
        agent("Removed it from your cart."),
        customer("red cotton shirt", intent="search_products"),
        agent("Here are 5:"),
        customer("red cotton shirt under 500", intent="refine_search"),
        agent("Here are 3:"),
    ]
    assert not assess(turns, 0.5).flagged


def test_each_strong_signal_flags_on_its_own() -> None:
    handoff = [customer("can I talk to a real person"), agent("Let me get someone.")]
    rephrasing = [
        customer("do you have organic green tea bags"),
        agent("Here are 5:"),
        customer("I said organic green tea bags"),
        agent("Here are 5:"),
        customer("organic green tea bags please!!"),
        agent("Here are 5:"),
    ]
    run = [customer(text, NEGATIVE) for text in ("no", "not those", "nope")]
    for turns, reason in (
        (handoff, "asked for a person"),
        (rephrasing, "repeated the same request"),
        (run, "a run of negative turns"),
    ):
        assessment = assess(turns, 0.5)
        assert assessment.flagged and assessment.reason == reason
    assert not assess(run[:2], 0.5).flagged  # two negative turns are not enough alone


def test_handoff_failures_and_refusals_are_signals_without_any_sentiment() -> None:
    turns = [
        customer("asdf qwerty", intent="nlu_fallback"),
        agent("Sorry, I didn't quite get that."),
        customer("I couldn't find it, let me talk to a real person"),
        agent("Sorry, I couldn't find any shoes."),
    ]
    values = signals(turns)
    assert values["handoff"] == 1.0
    assert values["failures"] == pytest.approx(2 / 3)  # the fallback and its answer count once
    assert values["complaint"] == 0.0
    assert values["abandoned_after_refusal"] == 1.0
    assert signals([*turns, customer("ok thanks")])["abandoned_after_refusal"] == 0.0


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


def test_signals_that_mean_unhappiness_in_any_shop() -> None:
    turns = [
        customer("a table for two at 7pm"),
        agent("Sorry, there are no tables at 7pm. What time would you like?"),
        customer("no, I said 7pm", NEGATIVE),
        agent("I apologise. What time would you like?"),
        customer("ugh"),
    ]
    values = signals(turns)
    assert values["failure_then_negative"] == 1.0
    assert values["corrections"] == 0.5
    assert values["agent_repeated_question"] == 0.5
    assert values["apologies"] == pytest.approx(2 / 3)
    assert values["most_negative"] == NEGATIVE[0]
    assert assess(turns, 0.5).flagged


@pytest.mark.parametrize("text", ["no, not right now", "no thanks", "nope, not yet", "I said hi"])
def test_declining_an_offer_is_not_a_correction(text: str) -> None:
    assert signals([customer(text)])["corrections"] == (text == "I said hi") * 0.5


def test_closing_questions_asked_again_are_not_repeated_questions() -> None:
    turns = [
        agent("Booked. Is there anything else I can help you with?"),
        customer("what time is it"),
        agent("It's 5. Is there anything else I can help you with?"),
    ]
    assert signals(turns)["agent_repeated_question"] == 0.0


def test_thanks_lower_the_score_but_not_thanks_for_nothing() -> None:
    base = [customer("any green tea?"), agent("Sorry, I couldn't find any green tea.")]
    thanked = assess([*base, customer("ok, thank you")], 0.5).score
    plain = assess([*base, customer("ok")], 0.5).score
    sarcastic = assess([*base, customer("ok, thanks for nothing")], 0.5).score
    assert thanked < plain == sarcastic


def test_the_bots_out_of_scope_reply_counts_as_a_refusal() -> None:
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())
    reply = domain["responses"]["utter_out_of_scope"][0]["text"]
    turns = [customer("show me tea"), agent("Here are 5:"), customer("tell me a joke")]
    assert signals([*turns, agent(reply)])["abandoned_after_refusal"] == 1.0
    assert signals([*turns, agent(reply)])["failures"] > signals(turns)["failures"]


@pytest.mark.parametrize("reply", ["Sorry, I didn't quite get that.", "Here are 5 for shampoo:"])
def test_a_neutral_first_turn_is_never_flagged_whatever_the_answer(reply: str) -> None:
    assessment = assess([customer("shampoo", intent="nlu_fallback"), agent(reply)], 0.5)
    assert not assessment.flagged and assessment.score < 0.3


def test_one_off_topic_question_is_not_flagged_but_failure_after_failure_is() -> None:
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())
    refusal = agent(domain["responses"]["utter_out_of_scope"][0]["text"])
    turns = [customer("show me tea"), agent("Here are 5:")]
    joke = customer("tell me a joke", intent="out_of_scope")
    assert not assess([*turns, joke, refusal], 0.5).flagged
    fallback = customer("asdf", intent="nlu_fallback")
    again = [*turns, fallback, agent("Sorry, I didn't get that."), joke, refusal]
    assessment = assess(again, 0.5)
    assert assessment.flagged and assessment.tipping_turn == len(again) - 1
