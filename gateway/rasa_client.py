"""Relay shopper messages to Rasa's REST channel, degrading to a polite reply on failure.

With several Rasa replicas (``AISLE_RASA_REPLICAS``) each shopper always goes to the same one
(:meth:`core.settings.Settings.rasa_url_for`); they share the SQL tracker store."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from core.settings import Settings

logger = logging.getLogger(__name__)

BotMessage = dict[str, Any]

APOLOGY_UNAVAILABLE = (
    "Sorry, I'm having trouble right now and can't answer. Please try again in a moment."
)
# Rasa goes on with a turn the gateway stopped waiting for: an add or removal may be done.
APOLOGY_TIMED_OUT = (
    "Sorry, that took me too long to answer. If you asked me to change your cart, it may have "
    'gone through: say "show my cart" to check before asking again.'
)
APOLOGY_NO_ANSWER = (
    "Sorry, I couldn't finish that just now. Please try again in a moment, "
    "or ask me something else."
)


def bot_text(recipient_id: str, text: str) -> BotMessage:
    """A bot message in Rasa's REST format."""
    return {"recipient_id": recipient_id, "text": text}


class RasaClient:
    """Async client for the Rasa servers' REST webhook and status endpoint."""

    def __init__(self, settings: Settings, timeout_s: float | None = None) -> None:
        self._settings = settings
        self._http = httpx.AsyncClient(timeout=timeout_s or settings.rasa_timeout_s)
        self._token = settings.rasa_token

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender: str, message: str) -> list[BotMessage]:
        """The bot's replies; an apology when Rasa is down or a custom action failed.

        Rasa answers with no messages when its action server is unreachable, so an empty
        answer to a non-empty message is treated as a failure the shopper must hear about.
        """
        try:
            response = await self._http.post(
                f"{self._settings.rasa_url_for(sender)}/webhooks/rest/webhook",
                json={"sender": sender, "message": message},
            )
            response.raise_for_status()
            replies = response.json()
        except httpx.TimeoutException:
            logger.warning("Rasa did not answer %s in time", sender)
            return [bot_text(sender, APOLOGY_TIMED_OUT)]
        except (httpx.HTTPError, ValueError):
            logger.exception("Rasa did not answer")
            return [bot_text(sender, APOLOGY_UNAVAILABLE)]
        if not replies:
            return [bot_text(sender, APOLOGY_NO_ANSWER)]
        return replies

    async def is_up(self) -> bool:
        """Whether every Rasa replica answers within 2 s with a model loaded (``GET /status``:
        model_file)."""
        answers = await asyncio.gather(*(self._has_model(url) for url in self._settings.rasa_urls))
        return all(answers)

    async def _has_model(self, url: str) -> bool:
        try:
            response = await self._http.get(
                f"{url}/status", params={"token": self._token}, timeout=2.0
            )
            response.raise_for_status()
            return bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError, AttributeError):
            return False
