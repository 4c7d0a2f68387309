"""Checks on what shoppers type, before anything reaches the bot."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Verdict:
    """``text`` is the cleaned message to relay, or ``reply`` a polite refusal."""

    text: str | None = None
    reply: str | None = None


def check_message(raw: str, max_chars: int) -> Verdict:
    """Clean a message (Unicode NFC, no control characters) or refuse it politely."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw)).strip()
    if not text:
        return Verdict(
            reply="It looks like that message was empty. What are you looking for today?"
        )
    if len(text) > max_chars:
        return Verdict(
            reply=(
                f"That's a long message! I can read up to {max_chars} characters at a time. "
                "Could you tell me in a sentence what you're looking for?"
            )
        )
    return Verdict(text=text)
