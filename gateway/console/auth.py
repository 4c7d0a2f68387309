"""Console sessions: a signed (itsdangerous), HttpOnly, SameSite=Strict cookie naming the agent
and carrying the session's CSRF token, which every form must send back.

Before login, a separate signed cookie carries the login form's CSRF token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from core.database import session_scope
from core.settings import Settings
from support.accounts import seen

SESSION_COOKIE, LOGIN_COOKIE = "aisle_console", "aisle_console_login"
SESSION_MAX_AGE_S = 8 * 3600
LOGIN_MAX_AGE_S = 3600


@dataclass(frozen=True)
class ConsoleUser:
    email: str
    is_admin: bool
    csrf: str


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.session_secret, salt="aisle-support-console")


def _read(settings: Settings, value: str | None, max_age: int) -> dict | None:
    if not value:
        return None
    try:
        data = _signer(settings).loads(value, max_age=max_age)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _set(response: Response, settings: Settings, name: str, data: dict, max_age: int) -> None:
    response.set_cookie(
        name,
        _signer(settings).dumps(data),
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=settings.environment == "production",
        path="/support",
    )


def current_user(request: Request, settings: Settings) -> ConsoleUser | None:
    """The logged-in agent (marked online), or None: no cookie, a forged or expired one, or an
    account deleted since."""
    data = _read(settings, request.cookies.get(SESSION_COOKIE), SESSION_MAX_AGE_S)
    if data is None:
        return None
    with session_scope(settings) as session:
        agent = seen(session, str(data.get("email")))
        if agent is None:
            return None
        return ConsoleUser(agent.email, agent.is_admin, str(data.get("csrf")))


def start_session(response: Response, settings: Settings, email: str) -> None:
    _set(
        response,
        settings,
        SESSION_COOKIE,
        {"email": email, "csrf": secrets.token_urlsafe(24)},
        SESSION_MAX_AGE_S,
    )
    response.delete_cookie(LOGIN_COOKIE, path="/support")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/support")


def login_csrf(request: Request, settings: Settings) -> str:
    """The login form's CSRF token: the one of the login cookie while valid, else a new one."""
    data = _read(settings, request.cookies.get(LOGIN_COOKIE), LOGIN_MAX_AGE_S)
    return str(data["csrf"]) if data and "csrf" in data else secrets.token_urlsafe(24)


def set_login_csrf(response: Response, settings: Settings, token: str) -> None:
    _set(response, settings, LOGIN_COOKIE, {"csrf": token}, LOGIN_MAX_AGE_S)


def login_csrf_ok(request: Request, settings: Settings, given: str | None) -> bool:
    data = _read(settings, request.cookies.get(LOGIN_COOKIE), LOGIN_MAX_AGE_S)
    return csrf_ok(str(data.get("csrf")) if data else None, given)


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and secrets.compare_digest(
        str(expected).encode(), str(given).encode()
    )
