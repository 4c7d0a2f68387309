"""The store page in headless Chromium: a shopper types into the widget and sees products."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisle.stack import Stack

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
).split()


@pytest.fixture()
def page(stack: Stack):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make browser` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{stack.settings.gateway_url}/")
        yield page
        browser.close()


def send(page, text: str) -> None:
    """Type a message and wait until the bot's answer has been rendered."""
    page.fill(".aisle-form input", text)
    page.press(".aisle-form input", "Enter")
    page.wait_for_selector(".aisle-typing", state="attached", timeout=5_000)
    page.wait_for_selector(".aisle-typing", state="detached", timeout=60_000)


def test_shopper_sees_product_cards(page):
    send(page, "show me shampoo under 200")
    cards = page.locator(".aisle-card")
    assert cards.count() >= 1
    first = cards.first.inner_text()
    assert "₹" in first


def test_markup_is_shown_never_executed(page):
    payload = '<img src=x onerror="window.__aislePwned=1"><b>bold</b>'
    send(page, payload)
    assert page.locator(".aisle-msg.bot").count() >= 2  # the welcome, then a reply
    assert page.evaluate("window.__aislePwned") is None
    assert page.locator(".aisle-msg.user").last.inner_text() == payload
    assert page.locator(".aisle-log b").count() == 0
