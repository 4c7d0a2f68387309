"""Rasa's SQL tracker store as Rasa 3.6 lays it out (``SQLTrackerStore.SQLEvent``), for fakes that
write what Rasa writes: one row per event, in order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from core.database import get_engine
from core.settings import Settings

EVENTS_TABLE = """CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def append_event(settings: Settings, sender: str, event: dict[str, Any]) -> None:
    """Append one event (``{"event": "user", "parse_data": …}``, …) to the sender's tracker."""
    with get_engine(settings.rasa_trackers_db_url).begin() as connection:
        connection.execute(text(EVENTS_TABLE))
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, :t, :d)"),
            {"s": sender, "t": event["event"], "d": json.dumps(event)},
        )


def append_user_message(settings: Settings, sender: str, message: str, intent: str) -> None:
    """What Rasa stores for a message before answering it: its parse in a user event, then
    the actions that answer it."""
    parse = {"text": message, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    append_event(settings, sender, {"event": "user", "text": message, "parse_data": parse})
    append_event(settings, sender, {"event": "action", "name": "action_listen"})
