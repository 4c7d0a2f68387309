"""Typed dependencies shared by the routes."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.settings import Settings
from gateway.rasa_client import RasaClient
from gateway.sessions import sender_of


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, {"WWW-Authenticate": "Bearer"})


def require_support_token(request: Request, credentials: Bearer) -> None:
    """Refuse any request without ``Authorization: Bearer <support_token>``."""
    expected = get_app_settings(request).support_token.encode()
    given = credentials.credentials.encode() if credentials else b""
    if not secrets.compare_digest(given, expected):
        raise _unauthorized("support token required")


SupportAuth = Depends(require_support_token)


def session_sender(settings: SettingsDep, credentials: Bearer) -> str:
    """The shopper of ``Authorization: Bearer <session token>`` (401 without a valid one)."""
    sender = sender_of(settings, credentials.credentials) if credentials else None
    if sender is None:
        raise _unauthorized("a valid session token is required: POST /api/session")
    return sender


def optional_session_sender(settings: SettingsDep, credentials: Bearer) -> str | None:
    """The shopper of a valid session token, or None."""
    return sender_of(settings, credentials.credentials) if credentials else None


ShopperDep = Annotated[str, Depends(session_sender)]
OptionalShopperDep = Annotated[str | None, Depends(optional_session_sender)]


def same_shopper(session: str, named: str | None) -> str:
    """The session's shopper; 403 when a request names another one."""
    if named is not None and named != session:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the session belongs to another shopper")
    return session
