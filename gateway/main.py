"""The gateway's FastAPI application: ``uvicorn gateway.main:app``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from core.settings import Settings, get_settings
from gateway.api.routes import chat, events, health, pages, support, webhooks
from gateway.channels.base import Channels
from gateway.console import routes as console
from gateway.limits import OneTurnAtATime, RateLimiter, RequestGuard
from gateway.rasa_client import RasaClient
from gateway.turn_recording import REPLAY_INTERVAL_S, replay_forever
from retrieval.store import ProductStore


async def validation_failed(_request: Request, error: Exception) -> JSONResponse:
    """422 naming each invalid field and why, never echoing what was sent."""
    assert isinstance(error, RequestValidationError)
    details = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in error.errors()]
    return JSONResponse({"detail": details}, status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.rasa = RasaClient(settings)
        app.state.channels = Channels(app.state.rasa, settings)
        app.state.product_store = ProductStore(settings)
        # Open it now (Chroma takes seconds to import), so that /healthz answers in time; a
        # store that cannot be opened is what /healthz will report.
        with contextlib.suppress(Exception):
            await run_in_threadpool(app.state.product_store.stored_count)
        app.state.turns = OneTurnAtATime()
        app.state.per_session = RateLimiter(settings.rate_limit_per_session)
        # Turns spooled while the SQL store refused writes (also by a gateway that died).
        replaying = asyncio.create_task(replay_forever(settings, REPLAY_INTERVAL_S))
        yield
        replaying.cancel()
        await app.state.channels.close()
        await app.state.rasa.close()

    # No interactive docs or schema in production: they map the attack surface for anyone.
    public_docs = settings.environment != "production"
    app = FastAPI(
        title="Aisle gateway",
        lifespan=lifespan,
        docs_url="/docs" if public_docs else None,
        redoc_url="/redoc" if public_docs else None,
        openapi_url="/openapi.json" if public_docs else None,
    )
    app.add_exception_handler(RequestValidationError, validation_failed)
    # Inside CORS, so that its refusals (413, 422, 429) carry the CORS headers a browser needs.
    app.add_middleware(RequestGuard, settings=settings)
    # Pages of the listed origins may embed the widget (widget.js calls this gateway). No
    # cookies are involved: the shopper's session travels as a bearer token.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    app.include_router(pages.router)
    app.include_router(chat.router)
    app.include_router(events.router)
    app.include_router(health.router)
    app.include_router(support.router)
    app.include_router(console.router)
    app.include_router(webhooks.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app


app = create_app()
