"""Record each relayed turn for the support team (support/conversations.py).

The gateway sees the shopper's message and the bot's replies; Rasa's NLU annotation of the
message (intent, sentiment) comes from one tracker read. It runs as a background task just
after the reply is sent (milliseconds later), and never fails a chat turn.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from core.settings import Settings
from gateway.rasa_client import RasaClient
from support.conversations import Exchange, record_exchange

logger = logging.getLogger(__name__)


async def record_turn(
    rasa: RasaClient, settings: Settings, sender: str, text: str, replies: list[dict[str, Any]]
) -> None:
    """Store the turn with its sentiment and recompute the conversation's flag."""

    def store(exchange: Exchange) -> None:
        with session_scope(settings) as session:
            record_exchange(session, exchange, settings.flag_threshold)

    try:
        parse = await rasa.latest_message(sender)
        await run_in_threadpool(store, Exchange(sender, text, parse, replies))
    except Exception:
        logger.exception("could not record the turn of %s", sender)
