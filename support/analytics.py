"""Figures for the store's analytics page: conversations per day, the share flagged and handed
to a person, the shoppers' mean sentiment per day, and the searches that found nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from profiles.tables import utcnow
from shop.handoff import HandoffRequest
from support.conversations import CUSTOMER, Conversation, TurnRecord

SEARCH_INTENTS = frozenset({"search_products", "refine_search", "similar_products"})


@dataclass(frozen=True)
class Day:
    day: date
    conversations: int
    flagged: int
    handoffs: int  # shoppers who asked for a person
    sentiment: float | None  # mean over the shoppers' turns: +score positive, -score negative

    @property
    def flagged_rate(self) -> float:
        return self.flagged / self.conversations if self.conversations else 0.0

    @property
    def handoff_rate(self) -> float:
        return self.handoffs / self.conversations if self.conversations else 0.0


def signed_sentiment(turn: TurnRecord) -> float | None:
    if turn.sentiment_label is None or turn.sentiment_score is None:
        return None
    sign = {"positive": 1.0, "negative": -1.0}.get(turn.sentiment_label, 0.0)
    return sign * turn.sentiment_score


def daily(session: Session, days: int = 30, today: date | None = None) -> list[Day]:
    """One row per day of the last ``days`` days (conversations by the day they started)."""
    today = today or utcnow().date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time())
    started: Counter[date] = Counter()
    flagged: Counter[date] = Counter()
    for c in session.scalars(select(Conversation).where(Conversation.started_at >= start)):
        started[c.started_at.date()] += 1
        flagged[c.started_at.date()] += c.status is not None
    asked = select(HandoffRequest).where(HandoffRequest.created_at >= start)
    # Shoppers who asked for a person that day (a shopper may ask again after a hand-back).
    handoffs = Counter(
        day for day, _ in {(r.created_at.date(), r.sender_id) for r in session.scalars(asked)}
    )
    sentiments: defaultdict[date, list[float]] = defaultdict(list)
    query = select(TurnRecord).where(TurnRecord.speaker == CUSTOMER, TurnRecord.created_at >= start)
    for turn in session.scalars(query):
        value = signed_sentiment(turn)
        if value is not None:
            sentiments[turn.created_at.date()].append(value)
    out = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        values = sentiments.get(day)
        out.append(
            Day(
                day,
                started[day],
                flagged[day],
                handoffs[day],
                sum(values) / len(values) if values else None,
            )
        )
    return out


def unanswered_searches(
    session: Session, limit: int = 10, since: datetime | None = None
) -> list[tuple[str, int]]:
    """The most frequent shopper searches after which the bot showed no product."""
    query = select(TurnRecord).order_by(TurnRecord.sender_id, TurnRecord.position)
    if since is not None:
        query = query.where(TurnRecord.created_at >= since)
    counts: Counter[str] = Counter()
    pending: str | None = None  # the last search, until a product is shown
    current = None
    for turn in session.scalars(query):
        if turn.sender_id != current:
            if pending:
                counts[pending] += 1
            pending, current = None, turn.sender_id
        if turn.speaker == CUSTOMER:
            if pending:
                counts[pending] += 1
            pending = " ".join(turn.text.lower().split()) if turn.intent in SEARCH_INTENTS else None
        elif turn.products:
            pending = None
    if pending:
        counts[pending] += 1
    return counts.most_common(limit)
