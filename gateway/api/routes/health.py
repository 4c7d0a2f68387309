"""``GET /healthz``: is each dependency doing its job? (gateway/health_checks.py)"""

from __future__ import annotations

import asyncio
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import RasaDep, SettingsDep
from gateway.health_checks import has_products, http_ok, within_timeout, write_heartbeat
from gateway.turn_recording import TurnSpool

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    responses={503: {"description": "a dependency is down: the same body, which one in checks"}},
)
async def healthz(request: Request, rasa: RasaDep, settings: SettingsDep) -> JSONResponse:
    """200 with each dependency's state when all are up, else 503 with the same body; also
    which messaging channels are on, how many platform sends failed every retry, and how many
    turns wait in the spool for the SQL store (gateway/turn_recording.py)."""
    rasa_ok, actions_ok, catalogue_ok, sql_ok = await asyncio.gather(
        rasa.is_up(),
        http_ok(settings.action_health_url),
        within_timeout(partial(has_products, request.app.state.product_store)),
        within_timeout(partial(write_heartbeat, settings)),
    )
    checks = {
        "gateway": True,
        "rasa": rasa_ok,
        "action_server": actions_ok,
        "catalogue": catalogue_ok,
        "sql_store": sql_ok,
    }
    healthy = all(checks.values())
    spooled = await run_in_threadpool(TurnSpool(settings).count)
    return JSONResponse(
        {
            "status": "ok" if healthy else "degraded",
            "checks": checks,
            "channels": {name: settings.channel_on(name) for name in settings.channel_secrets},
            "channel_send_failures": len(request.app.state.channels.failures),
            "spooled_turns": spooled,
        },
        status_code=200 if healthy else 503,
    )
