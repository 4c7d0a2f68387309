"""Rasa's trackers seen from outside Rasa: read, pause/resume and erase a conversation.

Through Rasa's HTTP API (``--enable-api``, token ``rasa_token``); erasing also deletes directly
from the ``events`` table of Rasa's SQL tracker store (PostgreSQL at ``tracker_store_url``, else
the state folder's SQLite file), since replacing a tracker's events through the API only
appends to a SQL store, and each turn's parse is read from that table too (:meth:`latest_parse`).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from core.database import get_engine
from core.settings import Settings

logger = logging.getLogger(__name__)

# Rasa's SQLTrackerStore writes one row per event, in order (``id``), with its type apart.
LATEST_USER_EVENT = text(
    "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id DESC LIMIT 1"
)


class RasaUnavailable(RuntimeError):
    """Rasa's HTTP API did not answer."""


class RasaTrackers:
    """Synchronous client of Rasa's tracker endpoints (call from threads, not the event loop)."""

    def __init__(self, settings: Settings, timeout_s: float | None = None) -> None:
        self.settings = settings
        self._timeout = timeout_s or settings.rasa_timeout_s

    def _call(self, method: str, sender_id: str, path: str = "", **kwargs: Any) -> Any:
        rasa = self.settings.rasa_url_for(sender_id)  # the shopper's replica
        url = f"{rasa}/conversations/{quote(sender_id, safe='')}/tracker{path}"
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

    def latest_parse(self, sender_id: str) -> dict[str, Any]:
        """Rasa's parse of the shopper's latest message (intent, entities, sentiment): the
        newest user event of the tracker store, which is what the tracker API answers as
        ``latest_message`` after rebuilding the whole tracker (a tenth of Rasa's CPU per turn,
        docs/scaling.md). Empty when the store has none or cannot be read."""
        try:
            with get_engine(self.settings.rasa_trackers_db_url).connect() as connection:
                row = connection.execute(LATEST_USER_EVENT, {"s": sender_id}).first()
        except SQLAlchemyError:
            logger.warning("could not read the latest message of %s", sender_id)
            return {}
        return (json.loads(row[0]).get("parse_data") or {}) if row else {}

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
        """Remove the shopper's tracker from Rasa's store; returns what was erased where."""
        rows = 0
        with get_engine(self.settings.rasa_trackers_db_url).begin() as connection:
            if inspect(connection).has_table("events"):  # none before Rasa's first start
                rows = connection.execute(
                    text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id}
                ).rowcount
        done = [f"rasa sql tracker store: {rows} events"]
        try:
            # A running Rasa may cache the tracker: replace it with an empty one there too.
            self._call("PUT", sender_id, "/events", json=[])
            done.append("rasa tracker (http api): replaced by an empty one")
        except RasaUnavailable:
            done.append("rasa http api not reachable (the SQL store holds every tracker)")
        return done
