"""Record each relayed turn for the support team (support/conversations.py).

The gateway sees the shopper's message and the bot's replies; Rasa's NLU annotation of the
message (intent, sentiment) comes from one read of Rasa's tracker store, where Rasa wrote it
before answering. It never fails a chat turn.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from core.settings import Settings
from support.conversations import Exchange, record_exchange
from support.rasa_tracker import RasaTrackers

logger = logging.getLogger(__name__)


async def record_turn(
    settings: Settings, sender: str, text: str, replies: list[dict[str, Any]]
) -> None:
    """Store the turn with its sentiment and recompute the conversation's flag."""

    def store() -> None:
        exchange = Exchange(sender, text, RasaTrackers(settings).latest_parse(sender), replies)
        with session_scope(settings) as session:
            record_exchange(session, exchange, settings.flag_threshold)

    try:
        await run_in_threadpool(store)
    except Exception:
        logger.exception("could not record the turn of %s", sender)
