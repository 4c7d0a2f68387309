"""The demo store page and the embeddable widget's script."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
async def store_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html")


@router.get("/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    """The one-tag widget: ``<script src="GATEWAY/widget.js" data-gateway="GATEWAY" defer>``."""
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )
