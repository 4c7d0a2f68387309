"""Recording turns into the SQL store and flagging the conversation as it goes."""

from pathlib import Path

import pytest

from core.database import session_scope
from core.settings import Settings
from support.conversations import (
    Conversation,
    Exchange,
    flagged_conversations,
    mark_reviewed,
    record_exchange,
)

NEGATIVE = {
    "label": "negative",
    "score": 0.93,
    "probabilities": {"negative": 0.93, "neutral": 0.05, "positive": 0.02},
}
CARDS = {
    "custom": {
        "type": "product_cards",
        "text": "1. Shampoo",
        "products": [{"id": "bb-1", "title": "Shampoo", "brand": "Dove", "price": 350.0}],
    }
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


def say(settings: Settings, sender: str, text: str, sentiment: dict | None = None) -> None:
    parse = {"intent": {"name": "refine_search"}, "sentiment": sentiment or {}}
    with session_scope(settings) as session:
        record_exchange(session, Exchange(sender, text, parse, [{"text": "Here:"}, CARDS]), 0.5)


def test_turns_products_and_flag_are_recorded(settings: Settings) -> None:
    say(settings, "web-a", "show me shampoo")
    with session_scope(settings) as session:
        assert flagged_conversations(session) == []
    say(settings, "web-a", "these are all ugly and way too expensive", NEGATIVE)
    say(settings, "web-a", "these are all ugly and way too expensive", NEGATIVE)
    with session_scope(settings) as session:
        (conversation,) = flagged_conversations(session, status="flagged")
        assert conversation.sender_id == "web-a"
        assert conversation.reason in {"explicit complaint", "negative sentiment"}
        tipping = conversation.turns[conversation.tipping_turn]
        assert tipping.speaker == "customer" and "ugly" in tipping.text
        assert [t.speaker for t in conversation.turns[:3]] == ["customer", "agent", "agent"]
        assert conversation.turns[2].products[0]["id"] == "bb-1"
        assert conversation.turns[3].sentiment_label == "negative"
        assert conversation.turns[3].probabilities == [0.93, 0.05, 0.02]


def test_review_and_filters(settings: Settings) -> None:
    for _ in range(2):
        say(settings, "web-b", "this is useless, I hate it", NEGATIVE)
    with session_scope(settings) as session:
        assert mark_reviewed(session, "web-b") is not None
        assert mark_reviewed(session, "nobody") is None
    with session_scope(settings) as session:
        assert flagged_conversations(session, status="flagged") == []
        (reviewed,) = flagged_conversations(session, status="reviewed")
        assert reviewed.reviewed_at is not None
        assert flagged_conversations(session, reason="no such reason") == []
        assert session.get(Conversation, "web-b").status == "reviewed"


def test_a_reviewed_conversation_is_flagged_again_only_by_new_unhappiness(
    settings: Settings,
) -> None:
    for _ in range(2):
        say(settings, "web-c", "this is useless, I hate it", NEGATIVE)
    with session_scope(settings) as session:
        mark_reviewed(session, "web-c")
    say(settings, "web-c", "show me shampoo")
    with session_scope(settings) as session:
        assert session.get(Conversation, "web-c").status == "reviewed"
    for _ in range(2):
        say(settings, "web-c", "still useless, these are awful", NEGATIVE)
    with session_scope(settings) as session:
        (conversation,) = flagged_conversations(session, status="flagged")
        tipping = conversation.turns[conversation.tipping_turn]
        assert tipping.speaker == "customer" and tipping.text.startswith("still useless")
        assert conversation.flagged_at > conversation.reviewed_at
