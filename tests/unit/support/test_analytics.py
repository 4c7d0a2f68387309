"""The analytics page's figures: per-day counts and rates, sentiment, searches that found
nothing."""

from __future__ import annotations

from pathlib import Path

from core.database import session_scope
from core.settings import Settings
from profiles.tables import utcnow
from shop.handoff import HANDED_BACK, QUEUED, close_request, request_handoff
from support.analytics import daily, unanswered_searches
from support.conversations import Exchange, record_exchange

SEARCH = {"intent": {"name": "search_products"}}
CARDS = {"custom": {"type": "product_cards", "products": [{"id": "p1", "title": "Tea"}]}}
NOTHING = {"text": "I couldn't find any lamps."}


def test_days_rates_and_unanswered_searches(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path)
    negative = SEARCH | {"sentiment": {"label": "negative", "score": 0.8}}
    with session_scope(settings) as session:
        record_exchange(session, Exchange("a", "green tea", SEARCH, [CARDS]), 0.5)
        record_exchange(session, Exchange("a", "Desk  Lamp", negative, [NOTHING]), 0.5)
        record_exchange(session, Exchange("b", "desk lamp", SEARCH, [NOTHING]), 0.5)
        record_exchange(session, Exchange("b", "hello", {"intent": {"name": "greet"}}, []), 0.5)
        record_exchange(session, Exchange("c", "this is awful", {}, [NOTHING]), 0.5)
        request_handoff(session, "c", "a person please")
        close_request(session, "c", HANDED_BACK)
        request_handoff(session, "c", "again, after a hand-back", QUEUED)
        days = daily(session, 3)
        assert [d.conversations for d in days] == [0, 0, 3]
        today = days[-1]
        assert today.day == utcnow().date()
        assert today.flagged == 1 and today.handoff_rate == 1 / 3
        assert today.sentiment == -0.8
        assert unanswered_searches(session) == [("desk lamp", 2)]
