"""What the browser tests share: Debian's Chromium, its flags, and the widget's page helpers."""

from __future__ import annotations

from pathlib import Path

from core.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
).split()
IMAGES = REPO_ROOT / "docs" / "images"
DESKTOP = {"width": 1280, "height": 800}


def open_store(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".aisle-root[data-ready='true']", state="attached", timeout=30_000)
    return page


def send(page, text: str) -> None:
    """Type a message and wait until the bot's answer has been rendered."""
    page.fill(".aisle-form input", text)
    page.press(".aisle-form input", "Enter")
    wait_answered(page)


def wait_answered(page) -> None:
    page.wait_for_selector(".aisle-root[data-busy='false']", state="attached", timeout=60_000)
