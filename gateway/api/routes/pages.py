"""The demo store page with the chat widget."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
async def store_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html")
