"""The gateway's guards against abuse, before any route runs, and one turn at a time per shopper.

- :class:`RequestGuard` (ASGI middleware): bodies over ``max_body_bytes`` get 413 (checked on
  ``Content-Length`` and again while reading, for chunked bodies); JSON bodies with NaN,
  Infinity or lone surrogates get 422 (they would fail later as 500s); requests to ``/api/``
  over ``rate_limit_per_address`` a minute from one client address get 429 with Retry-After;
  every answer carries the security headers.
- :class:`RateLimiter`: a token bucket per key (client address, shopper).
- :class:`OneTurnAtATime`: a shopper's message waits while their previous one is in flight,
  so turns reach Rasa and the transcript in order; a third concurrent one is refused (429).
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings

MAX_KEYS = 100_000  # buckets kept; the least recently used go first


def security_headers(settings: Settings) -> dict[str, str]:
    """CSP allowing the gateway's own script and styles only, no framing by other sites."""
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


class RateLimiter:
    """``per_minute`` requests per key, in bursts of up to ``per_minute`` (a token bucket)."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, time

    def retry_after(self, key: str, now: float | None = None) -> float:
        """Take a token for ``key``: 0 when allowed, else seconds until one is available."""
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self._buckets[key] = (tokens - 1 if tokens >= 1 else tokens, now)
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        return wait


def too_many(retry_after_s: float, detail: str) -> JSONResponse:
    return JSONResponse(
        {"detail": detail}, status_code=429, headers={"Retry-After": str(math.ceil(retry_after_s))}
    )


class _BodyTooLarge(Exception):
    pass


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def json_problem(body: bytes) -> str | None:
    """Why a JSON body is refused (bad JSON, NaN/Infinity, a lone surrogate), or None."""
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
        json.dumps(value, ensure_ascii=False).encode()  # lone surrogates cannot be encoded
    except UnicodeEncodeError:
        return "the body holds a lone surrogate (not valid Unicode text)"
    except ValueError as error:  # JSONDecodeError and the refused constants
        return f"the body is not valid JSON: {error.args[0].split(':')[0]}"
    return None


class RequestGuard:
    """Body-size cap, clean JSON, a per-address rate limit on ``/api/``, security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.per_address = RateLimiter(settings.rate_limit_per_address)
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        refusal = await self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send_with_headers)
            return
        try:
            body = await self._read_body(receive)
        except _BodyTooLarge:
            await self._too_large()(scope, receive, send_with_headers)
            return
        content_type = Headers(scope=scope).get("content-type", "")
        problem = json_problem(body) if body and "json" in content_type else None
        if problem:
            await JSONResponse({"detail": problem}, 422)(scope, receive, send_with_headers)
            return
        await self.app(scope, _replay(body, receive), send_with_headers)

    async def _refusal(self, scope: Scope) -> JSONResponse | None:
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return self._too_large()
        if scope["path"].startswith("/api/"):
            address = (scope.get("client") or ("unknown", 0))[0]
            wait = self.per_address.retry_after(address)
            if wait:
                return too_many(wait, "too many requests from this address; try again shortly")
        return None

    def _too_large(self) -> JSONResponse:
        return JSONResponse({"detail": f"the body exceeds {self.max_body} bytes"}, 413)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Hands the already-read body to the app, then the client's own messages (disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class Busy(Exception):
    """The shopper already has a message in flight and one waiting."""


@dataclass
class _Turns:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # the message in flight plus those waiting


class OneTurnAtATime:
    """Per shopper: one message in flight, ``max_waiting`` more waiting their turn, in order."""

    def __init__(self, max_waiting: int = 1) -> None:
        self.max_waiting = max_waiting
        self._turns: dict[str, _Turns] = {}

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[None]:
        """Hold the shopper's turn; :class:`Busy` when too many of their messages wait."""
        turns = self._turns.setdefault(sender, _Turns())
        if turns.holders > self.max_waiting:
            raise Busy
        turns.holders += 1
        try:
            async with turns.lock:  # asyncio.Lock wakes its waiters first come, first served
                yield
        finally:
            turns.holders -= 1
            if not turns.holders:
                del self._turns[sender]
