"""Rasa's trackers seen from outside Rasa: read, pause/resume and erase a conversation.

Through Rasa's HTTP API (``--enable-api``, token ``rasa_token``) for whatever store Rasa runs on;
and, when Rasa keeps trackers in SQL (``tracker_store_url``), directly in its ``events`` table,
since replacing a tracker's events through the API only appends to a SQL store.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.database import get_engine
from core.settings import Settings

logger = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa's HTTP API did not answer."""


class RasaTrackers:
    """Synchronous client of Rasa's tracker endpoints (call from threads, not the event loop)."""

    def __init__(self, settings: Settings, timeout_s: float | None = None) -> None:
        self.settings = settings
        self._timeout = timeout_s or settings.rasa_timeout_s

    def _call(self, method: str, sender_id: str, path: str = "", **kwargs: Any) -> Any:
        url = f"{self.settings.rasa_url}/conversations/{quote(sender_id, safe='')}/tracker{path}"
        params = {"token": self.settings.rasa_token} | kwargs.pop("params", {})
        try:
            response = httpx.request(method, url, params=params, timeout=self._timeout, **kwargs)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"Rasa's tracker API: {error}") from error

    def events(self, sender_id: str) -> list[dict[str, Any]]:
        """Every event of the shopper's tracker."""
        return self._call("GET", sender_id, params={"include_events": "ALL"}).get("events") or []

    def append(self, sender_id: str, event: dict[str, Any] | list[dict[str, Any]]) -> None:
        """Append an event (or a list of them), e.g. ``{"event": "resume"}``."""
        self._call("POST", sender_id, "/events", json=event)

    def pause(self, sender_id: str) -> None:
        self.append(sender_id, {"event": "pause"})

    def resume(self, sender_id: str) -> None:
        """Undo the hand-off pause; the slots and the rest of the conversation stay. The
        messages written while paused were never answered: an ``action_listen`` closes that
        turn so the policies predict the next message afresh."""
        self.append(sender_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    def erase(self, sender_id: str) -> list[str]:
        """Remove the shopper's tracker from Rasa's store; returns what was erased where.

        RasaUnavailable when Rasa keeps trackers in memory and cannot be reached: nothing
        else has been erased then."""
        done = []
        if self.settings.tracker_store_url:
            url = make_url(self.settings.tracker_store_url).set(drivername="postgresql+psycopg")
            with get_engine(url.render_as_string(hide_password=False)).begin() as connection:
                rows = connection.execute(
                    text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id}
                ).rowcount
            done.append(f"rasa sql tracker store: {rows} events")
        try:
            # The in-memory store's tracker is replaced by an empty one.
            self._call("PUT", sender_id, "/events", json=[])
            done.append("rasa tracker (http api): replaced by an empty one")
        except RasaUnavailable:
            if not self.settings.tracker_store_url:
                raise  # the in-memory store is only reachable through Rasa
            done.append("rasa http api not reachable (the SQL store holds every tracker)")
        return done
