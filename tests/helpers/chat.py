"""Reading the bot's messages as the gateway returns them (Rasa's REST format)."""

from __future__ import annotations


def cards(messages: list[dict]) -> list[dict]:
    """The product cards shown, in order."""
    return [p for m in messages if m.get("custom") for p in m["custom"].get("products", [])]


def texts(messages: list[dict]) -> str:
    """Every text of the answer, joined."""
    return " ".join(m.get("text", "") for m in messages)


def buttons(messages: list[dict]) -> list[dict]:
    """The buttons offered, both plain and on product cards."""
    found = [b for m in messages for b in m.get("buttons", [])]
    return found + [b for m in messages if m.get("custom") for b in m["custom"]["buttons"]]
