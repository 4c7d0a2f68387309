"""The one-tag widget in headless Chromium, embedded in a page of another origin: a
conversation with product cards, a reload and a new tab that keep it, a phone screen without
horizontal scrolling, and keyboard-only use. Screenshots go to docs/images/."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest

from aisle.stack import Stack
from tests.helpers.browser import DESKTOP, IMAGES, open_store, send, wait_answered

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}

STORE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Corner Shop</title>
<style>body {{ font: 16px Georgia, serif; margin: 2rem; }} button {{ all: unset; }}</style>
</head><body><h1>Corner Shop</h1><p>A store on another site, with one tag added.</p>
<script src="{gateway}/widget.js" data-gateway="{gateway}" data-title="Corner Shop assistant"
  defer></script></body></html>
"""


@pytest.fixture(scope="module")
def store_page(stack: Stack, embedding_origin: str, tmp_path_factory) -> Iterator[str]:
    """A static store page served from the other origin the stack allows."""
    folder = tmp_path_factory.mktemp("store")
    (folder / "index.html").write_text(STORE_PAGE.format(gateway=stack.settings.gateway_url))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", urlsplit(embedding_origin).port or 80), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"{embedding_origin}/index.html"
    server.shutdown()
    server.server_close()


def recorded(page, gateway: str, shoppers: int) -> None:
    """Wait until the server's feed of the page's shopper holds ``shoppers`` shopper turns."""
    token = page.evaluate(
        "JSON.parse(localStorage.getItem(Object.keys(localStorage)"
        ".find(k => k.startsWith('aisle-session:')))).token"
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        feed = httpx.get(
            f"{gateway}/api/chat/messages", headers={"Authorization": f"Bearer {token}"}
        ).json()
        if sum(m["speaker"] == "shopper" for m in feed) >= shoppers:
            return
        time.sleep(0.2)
    raise AssertionError(f"the feed has not caught up: {feed}")


# Every row of quick replies comes after the shopper's last message: older rows were removed.
ONLY_NEW_QUICK_REPLIES = """(() => {
  const root = document.getElementById("aisle-chat").shadowRoot;
  const asked = [...root.querySelectorAll(".aisle-msg.user")].pop();
  return [...root.querySelectorAll(".aisle-buttons")].every(
    (row) => asked.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING);
})()"""


def in_view(page, selector: str, viewport: dict) -> bool:
    box = page.locator(selector).bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def test_a_conversation_on_another_origin_survives_a_reload_and_a_new_tab(
    browser, store_page, stack: Stack
):
    context = browser.new_context(viewport=DESKTOP)
    page = open_store(context, store_page)
    assert page.locator(".aisle-widget").is_hidden()
    page.click(".aisle-launcher")
    assert page.locator(".aisle-title").inner_text() == "Corner Shop assistant"
    send(page, "show me shampoo under 200")
    cards = page.locator(".aisle-card")
    assert cards.count() >= 1
    first = cards.first.inner_text()
    assert "₹" in first and "Add to cart" in first
    assert page.locator(".aisle-buttons button").count() >= 1
    page.screenshot(path=str(IMAGES / "widget-desktop.png"))

    page.locator(".aisle-buttons button").first.click()  # a quick reply, used once
    wait_answered(page)
    assert page.evaluate(ONLY_NEW_QUICK_REPLIES)  # the used ones are gone
    assert page.locator(".aisle-msg.user").count() == 2
    shown = page.locator(".aisle-log").inner_text()
    shown_cards = page.locator(".aisle-card").count()
    # Turns are recorded just after the answer is sent; the reload reads them back.
    recorded(page, stack.settings.gateway_url, shoppers=2)

    page.reload()
    page.wait_for_selector(".aisle-root[data-ready='true']", state="attached")
    assert page.locator(".aisle-widget").is_visible()  # it stays open
    page.wait_for_selector(".aisle-card", state="attached")
    restored = page.locator(".aisle-log").inner_text()
    assert "show me shampoo under 200" in restored
    assert page.locator(".aisle-msg.user").count() == 2  # the quick reply's payload, as sent
    assert page.locator(".aisle-card").count() == shown_cards
    assert restored.count("₹") >= shown.count("₹") - 1  # cards back, list prices included

    other_tab = open_store(context, store_page)
    other_tab.wait_for_selector(".aisle-card", state="attached")
    assert "show me shampoo under 200" in other_tab.locator(".aisle-log").inner_text()
    context.close()


def test_the_widget_fits_a_phone(browser, store_page):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_store(context, store_page)
    page.click(".aisle-launcher")
    send(page, "show me green tea")
    assert page.locator(".aisle-card").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(
        "document.getElementById('aisle-chat').shadowRoot.querySelector('.aisle-log')"
        ".scrollWidth <= document.documentElement.clientWidth"
    )
    assert in_view(page, ".aisle-form input", PHONE) and in_view(page, ".aisle-send", PHONE)
    assert page.locator(".aisle-msg.user").last.is_visible()
    page.screenshot(path=str(IMAGES / "widget-phone.png"))
    page.click(".aisle-close")
    assert page.locator(".aisle-widget").is_hidden()
    assert page.locator(".aisle-launcher").is_visible()
    context.close()


def focused_class(page) -> str:
    return page.evaluate(
        "(document.activeElement.shadowRoot?.activeElement ?? document.activeElement).className"
    )


def test_keyboard_only(browser, store_page):
    context = browser.new_context(viewport=DESKTOP)
    page = open_store(context, store_page)
    page.keyboard.press("Tab")
    assert focused_class(page) == "aisle-launcher"
    page.keyboard.press("Enter")
    assert focused_class(page) == ""  # the message input (it has no class)
    page.keyboard.type("show me shampoo under 200")
    page.keyboard.press("Enter")
    wait_answered(page)
    assert page.locator(".aisle-card").count() >= 1
    for _ in range(40):  # Tab through the log to the first "Add to cart"
        page.keyboard.press("Tab")
        if focused_class(page) == "aisle-add":
            break
    assert focused_class(page) == "aisle-add"
    outline = page.evaluate(
        "getComputedStyle(document.getElementById('aisle-chat').shadowRoot.activeElement)"
        ".outlineStyle"
    )
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    wait_answered(page)
    assert "cart" in page.locator(".aisle-msg.bot").last.inner_text().lower()
    page.keyboard.press("Escape")
    assert page.locator(".aisle-widget").is_hidden()
    assert focused_class(page) == "aisle-launcher"
    context.close()


def test_markup_is_shown_never_executed(browser, stack: Stack):
    page = browser.new_page()
    page.goto(f"{stack.settings.gateway_url}/")  # Aisle's own store page: the same tag
    page.wait_for_selector(".aisle-root[data-ready='true']", state="attached")
    payload = '<img src=x onerror="window.__aislePwned=1"><b>bold</b>'
    send(page, payload)
    assert page.locator(".aisle-msg.bot").count() >= 2  # the welcome, then a reply
    assert page.evaluate("window.__aislePwned") is None
    assert page.locator(".aisle-msg.user").last.inner_text().endswith(payload)
    assert page.locator(".aisle-log b").count() == 0


def test_a_bare_sender_id_without_a_session_is_refused(stack: Stack):
    response = httpx.post(
        f"{stack.settings.gateway_url}/api/chat",
        json={"sender": "web-someone-else", "message": "show my cart"},
    )
    assert response.status_code == 401
