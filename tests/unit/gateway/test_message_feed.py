"""The shopper's feed read back from the recorded turns: speakers, cards, ``after``."""

from pathlib import Path

from core.database import session_scope
from core.settings import Settings
from gateway.message_feed import conversation_feed
from support.conversations import Exchange, TurnRecord, record_exchange

CARDS = {
    "custom": {
        "type": "product_cards",
        "text": "1. Shampoo — ₹350",
        "products": [{"id": "bb-1", "title": "Shampoo", "price_text": "₹350", "size": "200 ml"}],
    }
}


def test_shopper_bot_and_a_persons_turns_in_order(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", state_dir=tmp_path)
    with session_scope(settings) as session:
        conversation = record_exchange(
            session, Exchange("web-a", "shampoo", {}, [{"text": "Here:"}, CARDS]), 0.5
        )
        conversation.turns.append(TurnRecord(position=3, speaker="person", text="Hi, I'm Sam."))
    with session_scope(settings) as session:
        feed = conversation_feed(session, "web-a")
        newer = conversation_feed(session, "web-a", after=2)
        other = conversation_feed(session, "web-b")
    assert [(m.speaker, m.text) for m in feed] == [
        ("shopper", "shampoo"),
        ("bot", "Here:"),
        ("bot", ""),  # the cards travel in ``custom``, not as the text list
        ("agent", "Hi, I'm Sam."),
    ]
    assert feed[2].custom == {
        "type": "product_cards",
        "products": [
            {
                "id": "bb-1",
                "title": "Shampoo",
                "brand": None,
                "size": "200 ml",
                "price": None,
                "price_text": "₹350",
                "list_price_text": None,
                "rating": None,
                "reason": None,
            }
        ],
    }
    assert [m.position for m in newer] == [3] and other == []
