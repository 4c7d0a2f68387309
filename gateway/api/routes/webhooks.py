"""Messaging-platform webhooks: ``POST /webhooks/telegram|slack``, ``GET|POST
/webhooks/messenger|whatsapp``.

Each request is authenticated first (secret token, request signature); then the delivery is
acknowledged at once and answered in a background task (gateway/channels/base.py), so slow
bot turns never make a platform retry. A channel whose settings are unset answers 404.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, BackgroundTasks, Depends, Header, HTTPException, Request
from fastapi.responses import PlainTextResponse

from core.settings import Settings
from gateway.api.deps import SettingsDep
from gateway.channels import meta, slack, telegram
from gateway.channels.base import Channels, Inbound, Renderer, hub_signature_ok

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["channels"])

ACK = {"ok": True}


def get_channels(request: Request) -> Channels:
    return request.app.state.channels


ChannelsDep = Annotated[Channels, Depends(get_channels)]


def require(settings: Settings, channel: str) -> None:
    if not settings.channel_on(channel):
        raise HTTPException(404, f"the {channel} channel is not configured")


def refuse(why: str) -> HTTPException:
    return HTTPException(401, why)


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise HTTPException(400, "the body is not JSON") from exc
    if not isinstance(payload, dict):
        raise HTTPException(400, "the body is not a JSON object")
    return payload


def answer_later(
    channels: Channels, background: BackgroundTasks, messages: list[Inbound], render: Renderer
) -> None:
    """Queue each message for the bot (a re-delivery is acknowledged, then dropped there)."""
    for message in messages:
        background.add_task(channels.handle, message, render)


@router.post("/telegram")
async def telegram_webhook(
    request: Request,
    settings: SettingsDep,
    channels: ChannelsDep,
    background: BackgroundTasks,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> dict[str, bool]:
    require(settings, "telegram")
    if not secrets.compare_digest((secret or "").encode(), settings.telegram_secret_token.encode()):
        raise refuse("wrong secret token")
    update = json_object(await request.body())
    answer_later(channels, background, telegram.parse(update), telegram.render)
    return ACK


@router.post("/slack", response_model=None)
async def slack_webhook(
    request: Request,
    settings: SettingsDep,
    channels: ChannelsDep,
    background: BackgroundTasks,
    timestamp: Annotated[str | None, Header(alias="X-Slack-Request-Timestamp")] = None,
    signature: Annotated[str | None, Header(alias="X-Slack-Signature")] = None,
    retry_num: Annotated[str | None, Header(alias="X-Slack-Retry-Num")] = None,
) -> dict[str, Any]:
    """Events API (JSON) and interactivity (form-encoded ``payload``) on one URL."""
    require(settings, "slack")
    raw = await request.body()
    if not slack.signature_ok(settings.slack_signing_secret, raw, timestamp, signature):
        raise refuse("bad or stale Slack signature")
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = parse_qs(raw.decode())
        try:
            payload = json.loads(form["payload"][0])
        except (KeyError, ValueError) as exc:
            raise HTTPException(400, "no interaction payload") from exc
        answer_later(channels, background, slack.parse_action(payload), slack.render)
        return {}
    payload = json_object(raw)
    if payload.get("type") == "url_verification":
        return {"challenge": payload.get("challenge", "")}
    # A retry (X-Slack-Retry-Num) repeats the event_id: answered only if the first never came.
    if retry_num is not None:
        logger.info("Slack retry %s of %s", retry_num, payload.get("event_id"))
    answer_later(channels, background, slack.parse_event(payload), slack.render)
    return ACK


def _meta_routes(
    name: str,
    verify_token: Callable[[Settings], str],
    app_secret: Callable[[Settings], str],
    parse: Callable[[dict[str, Any]], list[Inbound]],
    render: Renderer,
) -> None:
    """``GET`` (subscription check) and ``POST`` (signed deliveries) for a Meta platform."""

    @router.get(f"/{name}", response_class=PlainTextResponse, name=f"{name}_verify")
    async def verify(request: Request, settings: SettingsDep) -> str:
        require(settings, name)
        challenge = meta.verify_challenge(dict(request.query_params), verify_token(settings))
        if challenge is None:
            raise HTTPException(403, "wrong verify token")
        return challenge

    @router.post(f"/{name}", name=f"{name}_webhook")
    async def deliver(
        request: Request,
        settings: SettingsDep,
        channels: ChannelsDep,
        background: BackgroundTasks,
        signature: Annotated[str | None, Header(alias="X-Hub-Signature-256")] = None,
    ) -> dict[str, bool]:
        require(settings, name)
        raw = await request.body()
        if not hub_signature_ok(app_secret(settings), raw, signature):
            raise refuse("bad X-Hub-Signature-256")
        answer_later(channels, background, parse(json_object(raw)), render)
        return ACK


_meta_routes(
    "messenger",
    lambda s: s.messenger_verify_token,
    lambda s: s.messenger_app_secret,
    meta.parse_messenger,
    meta.render_messenger,
)
_meta_routes(
    "whatsapp",
    lambda s: s.whatsapp_verify_token,
    lambda s: s.whatsapp_app_secret,
    meta.parse_whatsapp,
    meta.render_whatsapp,
)
