"""The support console in headless Chromium, beside a shopper's widget: an agent logs in, sees
the shopper's request for a person, replies, the shopper's widget shows the reply (from the
message feed), the agent hands back and the bot answers the next search. Strangers and wrong
passwords get nothing; form posts without the CSRF token are refused. Screenshots go to
docs/images/support-*.png."""

from __future__ import annotations

import json

import pytest

from aisle.stack import Stack
from core.database import session_scope
from support.accounts import Agent, add_agent
from tests.helpers.browser import DESKTOP, IMAGES, open_store, send

pytestmark = [pytest.mark.integration, pytest.mark.browser]

EMAIL, PASSWORD = "sam@shop.test", "a long console password"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def console(stack: Stack) -> str:
    with session_scope(stack.settings) as session:
        add_agent(session, EMAIL, PASSWORD, admin=True)
        session.query(Agent).filter(Agent.email != EMAIL).update({"last_seen_at": None})
    return f"{stack.settings.gateway_url}/support"


def log_in(page, console: str, password: str = PASSWORD) -> None:
    page.goto(console)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def sender_of(page) -> str:
    return page.evaluate(
        "JSON.parse(localStorage.getItem(Object.keys(localStorage)"
        ".find(k => k.startsWith('aisle-session:')))).sender_id"
    )


def test_agent_journey(browser, stack: Stack, console: str) -> None:
    agent = browser.new_context(viewport=WIDE).new_page()
    log_in(agent, console)  # logged in first: an agent is online when the shopper asks
    assert agent.locator("h1").inner_text() == "Queue"

    shopper = open_store(browser.new_context(viewport=DESKTOP), f"{stack.settings.gateway_url}/")
    if shopper.locator(".aisle-widget").is_hidden():
        shopper.click(".aisle-launcher")
    send(shopper, "show me shampoo")
    send(shopper, "I want to talk to a person")
    assert "online now" in shopper.locator(".aisle-log").inner_text()
    sender = sender_of(shopper)

    row = agent.locator(f"tbody tr:has(a:text('{sender}'))")
    row.wait_for(timeout=15_000)  # the queue polls for new requests
    assert "waiting (bot paused)" in row.inner_text()
    assert agent.locator("tbody tr").nth(1).inner_text().count(sender) == 1  # first in line
    agent.screenshot(path=str(IMAGES / "support-queue.png"), full_page=True)

    # On a phone the queue is a list of cards, without sideways scrolling.
    phone = browser.new_context(viewport=PHONE, storage_state=agent.context.storage_state())
    small = phone.new_page()
    small.goto(console)
    card = small.locator(f"tbody tr:has(a:text('{sender}'))")
    assert card.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert small.locator("thead").is_hidden()
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert card.locator("td[data-label='Assigned to']").inner_text() == "nobody"
    assert card.inner_text().count(" UTC") == 1
    phone.close()

    row.locator("a").click()
    agent.fill("textarea[name=text] >> nth=0", "Hi, Sam from the shop here. Which shampoo?")
    agent.click("form.reply button")
    agent.wait_for_selector("li.turn.person")
    agent.screenshot(path=str(IMAGES / "support-conversation.png"), full_page=True)

    shopper.wait_for_selector(".aisle-msg.agent", timeout=30_000)  # the widget polls its feed
    assert "Sam from the shop" in shopper.locator(".aisle-msg.agent").last.inner_text()

    agent.click("button:text('Hand back to the bot')")
    agent.wait_for_selector("li.turn.agent:has-text('shopping assistant again')")
    send(shopper, "show me green tea")
    assert shopper.locator(".aisle-card").count() >= 1

    agent.goto(f"{console}/analytics")
    assert agent.locator("svg.chart").count() == 4
    agent.screenshot(path=str(IMAGES / "support-analytics.png"), full_page=True)

    # Form posts without the session's CSRF token are refused, with the session cookie.
    refused = agent.request.post(f"{console}/c/{sender}/reply", form={"text": "forged"})
    assert refused.status == 403
    forged = agent.request.post(
        f"{console}/c/{sender}/data/delete", form={"csrf": "guess"}, fail_on_status_code=False
    )
    assert forged.status == 403


def test_strangers_and_wrong_passwords_get_nothing(browser, stack: Stack, console: str) -> None:
    page = browser.new_context(viewport=WIDE).new_page()
    for path in ("", "/analytics", "/c/web-anyone"):
        response = page.goto(console + path)
        assert response.status == 200 and page.locator("input[name=password]").count() == 1
        assert "Queue" not in page.content() and "Analytics" not in page.content()
    assert page.request.get(f"{console}/queue-rows").status == 401
    page.goto(console)
    assert page.locator("input[name=password]").count() == 1
    page.screenshot(path=str(IMAGES / "support-login.png"))

    log_in(page, console, "not the password")
    assert "Wrong e-mail or password" in page.content()
    assert page.locator("input[name=password]").count() == 1
    assert not [c for c in page.context.cookies() if c["name"] == "aisle_console"]

    api = page.request.get(f"{stack.settings.gateway_url}/api/support/conversations")
    assert api.status == 401
    no_csrf = page.request.post(
        f"{console}/login", form={"email": EMAIL, "password": PASSWORD}, fail_on_status_code=False
    )
    assert no_csrf.status == 403 and "aisle_console=" not in json.dumps(no_csrf.headers)
