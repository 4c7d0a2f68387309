"""``GET /healthz``: is each dependency answering?"""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.api.deps import RasaDep, SettingsDep

router = APIRouter(tags=["health"])


async def _http_ok(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return (await client.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


@router.get("/healthz")
async def healthz(request: Request, rasa: RasaDep, settings: SettingsDep) -> JSONResponse:
    """200 with each dependency's state when all are up, else 503 with the same body; also
    which messaging channels are on and how many platform sends failed every retry."""
    if settings.chroma_url:
        catalogue = await _http_ok(f"{settings.chroma_url.rstrip('/')}/api/v2/heartbeat")
    else:
        catalogue = (settings.chroma_dir / "chroma.sqlite3").exists()
    checks = {
        "gateway": True,
        "rasa": await rasa.is_up(),
        "action_server": await _http_ok(f"http://{settings.host}:{settings.action_port}/health"),
        "catalogue": catalogue,
    }
    healthy = all(checks.values())
    return JSONResponse(
        {
            "status": "ok" if healthy else "degraded",
            "checks": checks,
            "channels": {name: settings.channel_on(name) for name in settings.channel_secrets},
            "channel_send_failures": len(request.app.state.channels.failures),
        },
        status_code=200 if healthy else 503,
    )
