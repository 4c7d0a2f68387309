"""``aisle shopper delete`` against the real servers of the test stack: after it, nothing of the
shopper is readable through Rasa (its default SQLite tracker store and the running server's
copy), the gateway's message feed or the support API, while another shopper's conversation
stays. (PostgreSQL's tracker store is in test_conversation_stores.py; every SQL table is
scanned in test_shopper_data*.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from aisle.stack import Stack, settings_env
from gateway.sessions import issue_token
from support.rasa_tracker import RasaTrackers

pytestmark = pytest.mark.integration


def said(trackers: RasaTrackers, sender: str) -> list[str]:
    """The texts of the shopper's and the bot's events in Rasa's tracker."""
    return [e["text"] for e in trackers.events(sender) if e.get("text")]


def support_api(stack: Stack, sender: str) -> httpx.Response:
    return httpx.get(
        f"{stack.settings.gateway_url}/api/support/conversations/{sender}",
        headers={"Authorization": f"Bearer {stack.settings.support_token}"},
        timeout=10,
    )


def wait_recorded(stack: Stack, sender: str) -> None:
    """The gateway records each turn just after its reply: wait for it."""
    deadline = time.monotonic() + 10
    while support_api(stack, sender).status_code == 404:
        assert time.monotonic() < deadline, f"{sender}'s turns were never recorded"
        time.sleep(0.1)


def shopper_delete(stack: Stack, sender: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "aisle.cli", "shopper", "delete", sender, "--yes"],
        env=os.environ | settings_env(stack.settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_delete_leaves_nothing_in_rasas_tracker_or_the_feeds(chat, stack) -> None:
    chat("erase-me", "show me green tea")
    chat("keep-me", "show me shampoo")
    wait_recorded(stack, "erase-me")
    trackers = RasaTrackers(stack.settings)
    assert "show me green tea" in said(trackers, "erase-me")

    output = shopper_delete(stack, "erase-me")
    assert "rasa tracker (http api): replaced by an empty one" in output

    assert said(trackers, "erase-me") == []
    assert "show me shampoo" in said(trackers, "keep-me")
    gateway = stack.settings.gateway_url
    feed = httpx.get(
        f"{gateway}/api/chat/messages",
        params={"sender": "erase-me"},
        headers={"Authorization": f"Bearer {issue_token(stack.settings, 'erase-me')}"},
        timeout=10,
    )
    assert feed.status_code == 200 and "green tea" not in feed.text
    assert support_api(stack, "erase-me").status_code == 404
