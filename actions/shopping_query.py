"""Turn a shopper's words into a retrieval query plus exact price bounds.

Prices are parsed here with plain rules, not by the NLU model: a budget must be read exactly
("under 200" is never 2000), and rules are easy to test and explain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.spelling import translate

_NUMBER = r"(?:rs\.?|inr|₹|\$)?\s*(\d+(?:[.,]\d+)?)\s*(?:k\b)?\s*(?:rs\.?|rupees?|inr|₹|bucks)?"
_BETWEEN = re.compile(rf"\bbetween\s+{_NUMBER}\s+(?:and|to|-)\s+{_NUMBER}", re.I)
_RANGE = re.compile(rf"{_NUMBER}\s*(?:-|to)\s*{_NUMBER}", re.I)
# "budget", and the ways it gets misspelt: "buget", "budjet", "budgt".
_BUDGET = r"bu(?:dg|dj|g|j)e?t"
_UNDER = re.compile(
    rf"\b(?:under|undr|below|bellow|less than|les than|lesser than|cheaper than|max(?:imum)?|"
    rf"up ?to|within|no more than|not more than|at most|"
    rf"{_BUDGET}(?:\s*(?:of|is|:|=|only|just|around|about|roughly|max(?:imum)?))*)\s*{_NUMBER}",
    re.I,
)
_OVER = re.compile(
    rf"\b(?:over|above|more than|at least|min(?:imum)?|from|starting at)\s*{_NUMBER}", re.I
)
_NEGATIVE = re.compile(r"(?:minus|negative|-)\s*(?:\d|one|two|three|four|five|ten|hundred)", re.I)
_RATING = re.compile(
    r"\b(?:rated|rating|ratings|stars?)\s*(?:of|above|over|at least|min(?:imum)?|>=?)?\s*"
    r"(\d(?:\.\d)?)\s*(?:\+|stars?|and (?:above|up|more))?"
    r"|\b(\d(?:\.\d)?)\s*(?:\+\s*)?(?:stars?|star rating|\*|★)"
    r"(?:\s*(?:and|or)\s*(?:above|up|more))?",
    re.I,
)
_WELL_RATED = re.compile(r"\b(?:top|best|highly|well|highest)[- ]rated\b|\bgood reviews\b", re.I)
WELL_RATED = 4.0  # what "top rated" means as a minimum rating (out of 5)
_CHEAP = re.compile(
    rf"\b(?:cheap\w*|{_BUDGET}|affordable|inexpensive|low[- ]cost|low[- ]priced|economical)\b",
    re.I,
)
# A price band asked for in words: "not too expensive" (the cheaper half of what fits) and "the
# most expensive" (dearest first).
_MODERATE = re.compile(
    r"\b(?:not (?:too|very|that|so|overly) (?:expensive|pricey|pricy|costly|dear)|"
    r"reasonabl[ey](?: priced)?|moderately priced|mid[- ]?(?:range|priced))\b",
    re.I,
)
_DEAREST = re.compile(
    r"\b(?:(?:the )?most expensive|priciest|costliest|dearest|highest[- ]priced?|high to low)\b",
    re.I,
)
PRICE_ASC, PRICE_DESC, CHEAPER_HALF = "price_asc", "price_desc", "cheaper_half"
_FILLER = re.compile(
    r"\b(?:h+i+|h+e+l+o+|he+y+|hlo|hai|hiya|namaste|please|pls|plz|h+m+|u+m+|u+h+|"  # greetings
    r"show|me|find|get|search|looking for|look for|looking|look|(?:i'?m|i am) after|i'?m|i am|"
    r"i|want|if possible|if you can|ideally|preferably|"
    r"need|would|like|do|you|have|got|sell|any|some|something|can|could|a|an|the|of|what|"
    r"there|are|is|my|only|products?|items?|stuff|rupees?|rs|inr|cheap|cheaper|affordable|"
    r"ok|okay|then|so|now|also|well|fine|forget|never|mind|it|that|this|instead|"
    rf"{_BUDGET})\b",
    re.I,
)


@dataclass(frozen=True)
class ShoppingQuery:
    """What to search for: free text for ranking plus exact price bounds for filtering."""

    text: str
    min_price: float | None = None
    max_price: float | None = None
    min_rating: float | None = None
    # "cheap"/"budget" (PRICE_ASC: cheapest first), "the most expensive" (PRICE_DESC), "not too
    # expensive" (CHEAPER_HALF: the cheaper half of what fits, in relevance order)
    sort: str | None = None
    invalid_price: bool = False

    @property
    def cheap(self) -> bool:
        return self.sort == PRICE_ASC


def is_filler(word: str) -> bool:
    """Whether ``word`` is chat filler ("me", "please", "hii"), never a name of something."""
    return bool(_FILLER.fullmatch(word))


def _amount(raw: str, following: str) -> float:
    value = float(raw.replace(",", ""))
    if following.lower().startswith("k"):
        value *= 1000
    return value


def _match_amounts(match: re.Match[str]) -> list[float]:
    amounts = []
    for index in range(1, (match.lastindex or 0) + 1):
        raw = match.group(index)
        if raw is not None:
            tail = match.string[match.end(index) : match.end(index) + 2].strip()
            amounts.append(_amount(raw, tail))
    return amounts


def parse_shopping_query(message: str, product: str | None = None) -> ShoppingQuery:
    """Split a message into search text and price bounds.

    ``product`` (the NLU entity, when there is one) becomes the search text; otherwise the
    message minus price phrases and chat filler. Hinglish is read first ("sasta", "300 ke
    andar"), as the bot's normaliser reads it in chat (``retrieval/spelling.py``).
    """
    text = translate(message.strip())
    min_price = max_price = min_rating = None
    invalid = bool(_NEGATIVE.search(text)) and bool(
        re.search(r"\b(?:under|below|over|above|less|more|between|budget|max|price)\b", text, re.I)
    )
    if match := _RATING.search(text):
        min_rating = min(5.0, float(match.group(1) or match.group(2)))
        text = text.replace(match.group(0), " ")
    elif match := _WELL_RATED.search(text):
        min_rating = WELL_RATED
        text = text.replace(match.group(0), " ")
    if match := _BETWEEN.search(text) or _RANGE.search(text):
        low, high = sorted(_match_amounts(match))
        min_price, max_price = low, high
        text = text.replace(match.group(0), " ")
    else:
        if match := _UNDER.search(text):
            max_price = _match_amounts(match)[0]
            text = text.replace(match.group(0), " ")
        if match := _OVER.search(text):
            min_price = _match_amounts(match)[0]
            text = text.replace(match.group(0), " ")
    sort = None
    for pattern, order in ((_MODERATE, CHEAPER_HALF), (_CHEAP, PRICE_ASC), (_DEAREST, PRICE_DESC)):
        if match := pattern.search(text):  # a budget with an amount is a bound, not "cheap"
            sort = order
            text = text.replace(match.group(0), " ")
            break
    query = product or _FILLER.sub(" ", re.sub(r"[^\w\s&'-]", " ", text))
    query = re.sub(r"^\s*for\b", " ", query)  # "my budget is 400 for a cooker"
    return ShoppingQuery(
        text=" ".join(query.split()),
        min_price=min_price,
        max_price=max_price,
        min_rating=min_rating,
        sort=sort,
        invalid_price=invalid,
    )
