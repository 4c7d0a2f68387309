"""The supervisor on the real stack: a killed action server comes back on its own."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from aisle.stack import Stack
from aisle.supervisor import Supervisor
from gateway.rasa_client import APOLOGY_NO_ANSWER, APOLOGY_UNAVAILABLE


def product_cards(messages: list[dict]) -> list[dict]:
    return [p for m in messages if m.get("custom") for p in m["custom"].get("products", [])]


@pytest.mark.slow
def test_kill_9_of_the_action_server_fails_a_search_politely_then_it_works_again(
    stack: Stack, chat
):
    assert product_cards(chat("supervised-1", "show me green tea"))
    supervisor, stopping = Supervisor(stack, log=print), threading.Event()

    def supervise() -> None:
        while not stopping.wait(stack.settings.probe_interval_s):
            supervisor.check()

    watcher = threading.Thread(target=supervise, daemon=True)
    watcher.start()
    try:
        process = stack.services["actions"].process
        assert process
        os.kill(process.pid, signal.SIGKILL)  # its worker, orphaned, may answer a while
        actions, deadline, failures = supervisor.watches["actions"], time.monotonic() + 180, 0
        while True:
            answer = chat("supervised-1", "show me green tea")
            if not product_cards(answer):
                assert {m.get("text") for m in answer} <= {APOLOGY_NO_ANSWER, APOLOGY_UNAVAILABLE}
                failures += 1
            elif actions.restarts and actions.starting_until is None:
                break  # a search worked on the restarted action server
            assert time.monotonic() < deadline, "search did not come back on its own"
            time.sleep(2.5)  # under the per-shopper rate limit (30 a minute)
        assert actions.restarts == 1
        assert supervisor.watches["rasa"].restarts == supervisor.watches["gateway"].restarts == 0
        print(f"{failures} polite failures before the search worked again")
    finally:
        stopping.set()
        watcher.join()
