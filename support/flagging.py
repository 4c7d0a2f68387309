"""How unhappy a shopper is with a conversation: one score in [0, 1], its reason, and the turn
that tipped it over the threshold.

The same code scores live conversations (turns recorded by the gateway, sentiment from Rasa's
NLU component) and ``aisle eval flagging`` files (sentiment from the same model, run here). The
score is a logistic combination of per-conversation signals; the weights were fitted on dev
dialogues built from the airline tweets and USS ReDial (docs/sentiment-and-flagging.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
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


# Signal name -> (weight, reason shown to the support team). The sentiment weights and the bias
# are fitted by support/tuning.py on the train-split dialogues. Complaints, hand-off requests and
# failures are too rare in those sets to fit (their fitted weights are ~0 or unstable), so their
# weights are policy: two explicit complaints, or a request for a person after failures, flag a
# conversation on their own (docs/sentiment-and-flagging.md).
WEIGHTS: dict[str, tuple[float, str]] = {
    "negative_peak": (2.2, "negative sentiment"),
    "negative_mean": (3.25, "negative sentiment"),
    "positive_mean": (-1.35, "positive sentiment"),
    "complaints": (2.5, "explicit complaint"),
    "handoff": (1.5, "asked for a person"),
    "failures": (1.5, "repeated fallbacks or failed searches"),
}
BIAS = -1.9


def signals(turns: Sequence[Turn]) -> dict[str, float]:
    """Each signal of WEIGHTS in [0, 1] for a conversation (customer sentiment must be set)."""
    customer = [t for t in turns if t.speaker == "customer"]
    negatives = sorted((t.negative for t in customer), reverse=True)
    complaints = sum(bool(COMPLAINT.search(t.text)) for t in customer)
    handoff = any(t.intent in HANDOFF_INTENTS or HANDOFF.search(t.text) for t in customer)
    failures = sum(
        bool(t.intent in FALLBACK_INTENTS)
        if t.speaker == "customer"
        else bool(AGENT_FAILURE.search(t.text))
        for t in turns
    )
    return {
        "negative_peak": float(np.mean(negatives[:2])) if negatives else 0.0,
        "negative_mean": float(np.mean(negatives)) if negatives else 0.0,
        "positive_mean": float(np.mean([t.positive for t in customer])) if customer else 0.0,
        "complaints": min(complaints, 2) / 2,
        "handoff": float(handoff),
        "failures": min(failures, 3) / 3,
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
