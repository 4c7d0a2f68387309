"""Signed shopper sessions: a token names the shopper it was issued to.

``POST /api/session`` issues a random ``web-…`` sender id and a token signed with
``AISLE_SESSION_SECRET`` (itsdangerous, timestamped); the shopper routes take the sender from
the token, so no client can speak as another shopper by naming them.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

from core.settings import Settings

_SALT = "aisle-shopper-session"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.session_secret, salt=_SALT)


def new_sender_id() -> str:
    return f"web-{secrets.token_urlsafe(12)}"


def issue_token(settings: Settings, sender_id: str) -> str:
    return _serializer(settings).dumps({"sid": sender_id})


def sender_of(settings: Settings, token: str) -> str | None:
    """The sender a token was issued to; None when forged, malformed or expired."""
    try:
        data = _serializer(settings).loads(token, max_age=settings.session_ttl_s)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    sender = data.get("sid") if isinstance(data, dict) else None
    return sender if isinstance(sender, str) and sender else None
