"""A shopper's conversation as the widget shows it, read back from the server.

Today the one source is the turns the gateway records (support/conversations.py): the shopper's
messages and the bot's replies, with the product cards shown. A person's replies from the
support console are recorded there too once the support side can send them; any turn whose
speaker is neither the shopper nor the bot is shown as ``agent``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from support.conversations import TurnRecord

Speaker = Literal["shopper", "bot", "agent"]
# How support/conversations.py names the speakers: the shopper, and the bot's replies.
_SPEAKERS: dict[str, Speaker] = {"customer": "shopper", "agent": "bot"}


class FeedMessage(BaseModel):
    """One message; ``custom`` carries product cards like the chat answer's."""

    position: int
    speaker: Speaker
    text: str
    custom: dict[str, Any] | None = None
    created_at: datetime


def _message(turn: TurnRecord) -> FeedMessage:
    speaker = _SPEAKERS.get(turn.speaker, "agent")
    custom = {"type": "product_cards", "products": turn.products} if turn.products else None
    return FeedMessage(
        position=turn.position,
        speaker=speaker,
        text="" if custom else turn.text,
        custom=custom,
        created_at=turn.created_at,
    )


def conversation_feed(
    session: Session, sender_id: str, after: int = -1, limit: int = 200
) -> list[FeedMessage]:
    """The shopper's messages after position ``after`` (the newest ``limit``), oldest first."""
    query = (
        select(TurnRecord)
        .where(TurnRecord.sender_id == sender_id, TurnRecord.position > after)
        .order_by(TurnRecord.position.desc())
        .limit(limit)
    )
    return [_message(turn) for turn in reversed(list(session.scalars(query)))]
