"""The gateway's FastAPI application: ``uvicorn gateway.main:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from core.settings import Settings, get_settings
from gateway.api.routes import chat, events, health, pages, support, webhooks
from gateway.channels.base import Channels
from gateway.rasa_client import RasaClient
from retrieval.store import ProductStore


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_s, settings.rasa_token)
        app.state.channels = Channels(app.state.rasa, settings)
        app.state.product_store = ProductStore(settings)  # opened by the first health check
        yield
        await app.state.channels.close()
        await app.state.rasa.close()

    app = FastAPI(title="Aisle gateway", lifespan=lifespan)
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
    app.include_router(webhooks.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app


app = create_app()
