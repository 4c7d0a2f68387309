"""The supervisor on the real stack: a killed action server comes back on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from aisle.stack import Stack, port_is_free
from aisle.supervisor import Supervisor
from core.settings import Settings
from gateway.rasa_client import APOLOGY_NO_ANSWER, APOLOGY_UNAVAILABLE
from tests.helpers.chat import cards
from tests.helpers.servers import free_port


@pytest.mark.slow
def test_kill_9_of_the_action_server_fails_a_search_politely_then_it_works_again(
    stack: Stack, chat
):
    assert cards(chat("supervised-1", "show me green tea"))
    # Supervised from this thread, as `aisle up` does from its main thread: a server dies with
    # the thread that started it (PR_SET_PDEATHSIG), so no short-lived thread may restart one.
    supervisor, started = Supervisor(stack, log=print), time.monotonic()
    process = stack.services["actions"].process
    assert process
    os.kill(process.pid, signal.SIGKILL)  # its worker, orphaned, may answer a while
    actions, deadline, failures = supervisor.watches["actions"], time.monotonic() + 180, 0
    while True:
        supervisor.check()
        answer = chat("supervised-1", "show me green tea")
        if not cards(answer):
            assert {m.get("text") for m in answer} <= {APOLOGY_NO_ANSWER, APOLOGY_UNAVAILABLE}
            failures += 1
        elif actions.restarts and actions.starting_until is None:
            break  # a search worked on the restarted action server
        assert time.monotonic() < deadline, "search did not come back on its own"
        time.sleep(2.5)  # under the per-shopper rate limit (30 a minute)
    assert actions.restarts == 1
    assert supervisor.watches["rasa"].restarts == supervisor.watches["gateway"].restarts == 0
    took = time.monotonic() - started
    print(f"{failures} polite failures; the search worked again after {took:.0f} s")


SERVE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from aisle.stack import Stack
    from aisle.supervisor import serve
    from core.settings import Settings
    stack = Stack(Settings.model_validate_json(sys.argv[1]), Path(sys.argv[2]))
    serve(stack, lambda: print("ready", flush=True))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_real_stack_promptly_leaving_the_ports_free(
    ingested: Settings, rasa_model: Path, sig: signal.Signals
):
    ports = {f"{name}_port": free_port() for name in ("gateway", "rasa", "action")}
    settings = ingested.model_copy(update=ports)
    up = subprocess.Popen(
        [sys.executable, "-c", SERVE, settings.model_dump_json(), str(rasa_model)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert up.stdout and up.stdout.readline().strip() == "ready"
        time.sleep(4)  # a supervision round or so
        up.send_signal(sig)
        assert up.wait(30) == 0
    finally:
        up.kill()
    assert all(port_is_free(settings.host, port) for port in ports.values())
