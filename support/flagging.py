"""How unhappy a shopper is with a conversation: one score in [0, 1], its reason, and the turn
that tipped it over the threshold.

The same code scores live conversations (turns recorded by the gateway, sentiment from Rasa's
NLU component) and ``aisle eval flagging`` files (sentiment from the same model, run here). The
score is a logistic combination of signals that mean unhappiness in any shop or service: an
explicit complaint, a run of negative turns, the same request rephrased again and again, asking
for a person, failures, an unhappy answer to a failure, corrections ("no, I said…"), the agent
apologising or asking the same question again, leaving right after a refusal, the most negative
turn; thanks and positive turns lower it. The weights are policy, set so that each strong
signal flags on its own and one negative or neutral turn never does; they are not
fitted to any data set, and ``aisle eval flagging --leave-one-source-out`` shows how a fitted
combination transfers across domains (docs/support.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

import numpy as np

Speaker = Literal["customer", "agent"]
# Classifier columns, the order of models.sentiment.LABELS.
SENTIMENT_LABELS = ("negative", "neutral", "positive")
# Texts -> probabilities (one row per text, columns SENTIMENT_LABELS).
SentimentFn = Callable[[list[str]], np.ndarray]

COMPLAINT = re.compile(
    r"\b(?:ugly|hideous|awful|terrible|horrible|worst|useless|rubbish|garbage|crap|pathetic|"
    r"ridiculous|unacceptable|disappoint\w*|frustrat\w*|annoy\w*|angry|furious|fed up|"
    r"sick of|waste of|rip[- ]?off|overpriced|(?:way |far |much )?too (?:expensive|pricey|costly)|"
    r"not (?:helpful|what i (?:asked|want\w*))|doesn'?t (?:help|work)|hate|complain\w*|refund|"
    r"never again|poor service|bad service|no help|stupid|dumb|wrong again|still (?:waiting|no)|"
    r"nothing (?:good|useful)|none of (?:these|them|those)|all (?:bad|wrong|ugly))\b",
    re.I,
)
HANDOFF = re.compile(
    r"\b(?:(?:talk|speak|chat)(?: to| with)? (?:a |an |some |your )?(?:real |actual |live )?"
    r"(?:person|human|agent|someone|somebody|representative|manager|supervisor)|"
    r"(?:real|live) (?:person|human|agent)|customer (?:service|care|support)|representative)\b",
    re.I,
)
# What an agent (this bot, or a support agent) says when it could not help.
AGENT_FAILURE = re.compile(
    r"\b(?:didn'?t (?:quite )?(?:get|understand)|don'?t understand|couldn'?t (?:find|finish)|"
    r"can'?t (?:help|reach|find|answer)|having trouble|unable to|not able to|no results)\b",
    re.I,
)
# What an agent says when it turns a request down ("there are no …", "that isn't available").
REFUSAL = re.compile(
    r"\b(?:sorry|unfortunately|i'?m afraid)\b.{0,60}\b(?:no|not|none|nothing|can'?t|cannot|"
    r"couldn'?t|unable|unavailable|don'?t have|isn'?t|aren'?t)\b|\bno (?:results|matches)\b|"
    r"\b(?:not|isn'?t|aren'?t) available\b|\bsold out\b|\bfully booked\b",
    re.I,
)
# A customer correcting the agent: "no, I said…", "I meant…", "that's not what I…".
CORRECTION = re.compile(
    r"^\W*(?:no|nope|nah)\W+(?:not(?! (?:right )?now| yet| at th| today| necessary| needed| "
    r"really| interested)|that'?s not|i (?:said|meant|want(?:ed)?|asked))\b|"
    r"\bi (?:said|meant|asked for|told you|already (?:said|told|gave|asked))\b|"
    r"\bthat'?s not (?:what|it|right)\b|\bi didn'?t (?:say|ask|mean)\b|\bnot what i\b",
    re.I,
)
# The agent's questions that close a conversation, asked again and again by design.
CLOSING_QUESTION = re.compile(r"\b(?:anything else|something else|help you with)\b", re.I)
APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|my mistake|unfortunately)\b", re.I)
# Thanks and praise; "thanks for nothing" and "no thanks" are not.
THANKS = re.compile(
    r"(?<!no )\b(?:thanks?|thank you|thx|cheers|appreciate\w*|perfect|awesome|excellent|"
    r"wonderful|great)\b(?! for nothing)",
    re.I,
)
WORD = re.compile(r"[a-z0-9']+")
STOPWORDS = frozenset(
    "a an the i me my you your it is are was be to of for in on at and or but do does can could "
    "would will please any some show find want need looking have has with that this these those "
    "what which there here just like get".split()
)
NEGATIVE_TURN = 0.5  # a customer turn counts as negative at this classifier probability
HANDOFF_INTENTS = frozenset({"human_handoff"})
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


@dataclass(frozen=True)
class Turn:
    """One message. ``sentiment`` holds the classifier's probabilities (SENTIMENT_LABELS order)
    for customer turns, None until annotated; ``intent`` is known only live."""

    speaker: Speaker
    text: str
    sentiment: tuple[float, float, float] | None = None
    intent: str | None = None
    products: tuple[str, ...] = ()

    @property
    def negative(self) -> float:
        return self.sentiment[0] if self.sentiment else 0.0

    @property
    def positive(self) -> float:
        return self.sentiment[2] if self.sentiment else 0.0


# Signal name -> (weight, reason shown to the support team); every signal is in [0, 1].
# Policy, not a fit: with BIAS, an explicit complaint, a run of three negative turns, a request
# for a person, or a request rephrased twice each reach the 0.5 threshold alone; weaker signals
# (a run of two, failures, corrections, the agent's apologies or repeated questions, leaving
# after a refusal, a negative answer to a failure, overall negativity) only together.
WEIGHTS: dict[str, tuple[float, str]] = {
    "complaint": (3.5, "explicit complaint"),
    "negative_run": (3.5, "a run of negative turns"),
    "handoff": (3.5, "asked for a person"),
    "rephrasing": (3.5, "repeated the same request"),
    "failure_then_negative": (2.0, "unhappy after a failed answer"),
    "corrections": (2.0, "corrected the assistant"),
    "failures": (2.0, "repeated fallbacks or failed searches"),
    "abandoned_after_refusal": (1.5, "left after a refusal"),
    "agent_repeated_question": (1.5, "the assistant asked the same question again"),
    "apologies": (1.0, "the assistant kept apologising"),
    "most_negative": (0.5, "a very negative turn"),
    "negative_mean": (0.5, "negative sentiment"),
    "positive_mean": (-1.5, "positive sentiment"),
    "thanks": (-1.0, "thanked the assistant"),
}
BIAS = -3.0


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOPWORDS)


def rephrased(previous: str, current: str) -> bool:
    """Whether ``current`` asks again for what ``previous`` asked: mostly the same words and at
    most one new one (a refinement such as "under 500" adds constraints instead)."""
    a, b = content_words(previous), content_words(current)
    return len(a & b) >= 2 and len(b - a) <= 1 and len(a & b) / len(a | b) >= 0.5


def longest_negative_run(customer: Sequence[Turn]) -> int:
    run = best = 0
    for turn in customer:
        run = run + 1 if turn.negative >= NEGATIVE_TURN else 0
        best = max(best, run)
    return best


def failed(turn: Turn) -> bool:
    """An agent turn that could not help or turned the request down."""
    return turn.speaker == "agent" and bool(
        AGENT_FAILURE.search(turn.text) or REFUSAL.search(turn.text)
    )


def abandoned_after_refusal(turns: Sequence[Turn]) -> bool:
    """The conversation ends on the agent turning the customer down, after earlier answers."""
    agent = [t for t in turns if t.speaker == "agent"]
    return len(agent) > 1 and failed(turns[-1])


def unhappy_turn(turn: Turn) -> bool:
    """A customer turn that is negative, a complaint or a correction."""
    return turn.speaker == "customer" and (
        turn.negative >= NEGATIVE_TURN
        or bool(COMPLAINT.search(turn.text) or CORRECTION.search(turn.text))
    )


def failure_then_negative(turns: Sequence[Turn]) -> bool:
    """An agent's failed answer, and the customer's next turn unhappy."""
    customer_after = [
        next((t for t in turns[i + 1 :] if t.speaker == "customer"), None)
        for i, t in enumerate(turns)
        if failed(t)
    ]
    return any(t is not None and unhappy_turn(t) for t in customer_after)


def repeated_agent_questions(agent: Sequence[Turn]) -> int:
    """Agent questions that ask again what an earlier one asked."""
    questions = [
        q for t in agent for q in re.findall(r"[^.!?]*\?", t.text) if not CLOSING_QUESTION.search(q)
    ]
    seen: list[tuple[str, frozenset[str]]] = []
    repeats = 0
    for question in questions:
        words = content_words(question)
        repeats += bool(words) and any(
            words == before or (rephrased(q, question) and rephrased(question, q))
            for q, before in seen
        )
        seen.append((question, words))
    return repeats


def failed_exchanges(turns: Sequence[Turn]) -> int:
    """Agent turns that could not help, and customer turns the NLU could not place that got no
    such answer (a fallback answered "sorry, I can't help" counts once)."""
    answers = [*turns[1:], None]
    return sum(
        bool(AGENT_FAILURE.search(t.text))
        if t.speaker == "agent"
        else t.intent in FALLBACK_INTENTS
        and not (a is not None and a.speaker == "agent" and AGENT_FAILURE.search(a.text))
        for t, a in zip(turns, answers, strict=True)
    )


def signals(turns: Sequence[Turn]) -> dict[str, float]:
    """Each signal of WEIGHTS in [0, 1] for a conversation (customer sentiment must be set)."""
    customer = [t for t in turns if t.speaker == "customer"]
    agent = [t for t in turns if t.speaker == "agent"]
    handoff = any(t.intent in HANDOFF_INTENTS or HANDOFF.search(t.text) for t in customer)
    repeats = sum(rephrased(a.text, b.text) for a, b in pairwise(customer))
    return {
        "complaint": float(any(COMPLAINT.search(t.text) for t in customer)),
        "negative_run": min(max(longest_negative_run(customer) - 1, 0), 2) / 2,
        "handoff": float(handoff),
        "rephrasing": min(repeats, 2) / 2,
        "failure_then_negative": float(failure_then_negative(turns)),
        "corrections": min(sum(bool(CORRECTION.search(t.text)) for t in customer), 2) / 2,
        "failures": min(failed_exchanges(turns), 3) / 3,
        "abandoned_after_refusal": float(abandoned_after_refusal(turns)),
        "agent_repeated_question": min(repeated_agent_questions(agent), 2) / 2,
        "apologies": min(sum(bool(APOLOGY.search(t.text)) for t in agent), 3) / 3,
        "most_negative": max((t.negative for t in customer), default=0.0),
        "negative_mean": float(np.mean([t.negative for t in customer])) if customer else 0.0,
        "positive_mean": float(np.mean([t.positive for t in customer])) if customer else 0.0,
        "thanks": float(any(THANKS.search(t.text) for t in customer)),
    }


def unhappiness(values: dict[str, float]) -> float:
    """The logistic score of a conversation's signals."""
    z = BIAS + sum(WEIGHTS[name][0] * value for name, value in values.items())
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Assessment:
    """A conversation's score and, when flagged, why and from which turn (0-based index)."""

    score: float
    flagged: bool
    reason: str | None = None
    tipping_turn: int | None = None
    signals: dict[str, float] = field(default_factory=dict)


def assess(turns: Sequence[Turn], threshold: float) -> Assessment:
    """Score a conversation; the tipping turn is the first after which the score of the
    conversation so far reached ``threshold`` (turns must be annotated, see annotate)."""
    values = signals(turns)
    score = unhappiness(values)
    if score < threshold:
        return Assessment(score, False, signals=values)
    tipping = next(
        i
        for i in range(len(turns))
        if turns[i].speaker == "customer" or i == len(turns) - 1
        if unhappiness(signals(turns[: i + 1])) >= threshold
    )
    return Assessment(score, True, main_reason(values), tipping, values)


def main_reason(values: dict[str, float]) -> str:
    """The reason of the signal that adds most to the score."""
    name = max(values, key=lambda n: WEIGHTS[n][0] * values[n])
    return WEIGHTS[name][1]


def annotate(turns: Sequence[Turn], sentiment: SentimentFn) -> list[Turn]:
    """The turns with sentiment filled in for customer turns that lack it (one batch)."""
    missing = [i for i, t in enumerate(turns) if t.speaker == "customer" and t.sentiment is None]
    out = list(turns)
    if missing:
        probs = sentiment([turns[i].text for i in missing])
        for i, row in zip(missing, probs, strict=True):
            out[i] = replace(turns[i], sentiment=(float(row[0]), float(row[1]), float(row[2])))
    return out
