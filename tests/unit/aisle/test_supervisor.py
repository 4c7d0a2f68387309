"""The supervisor over stand-in servers shaped like rasa_sdk's: a main process whose forked
worker holds the port, so killing the main process leaves an orphan serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aisle.stack import Service, Stack, group_running, port_is_free
from aisle.supervisor import Supervisor
from core.settings import Settings
from tests.helpers.servers import free_port

SERVER = textwrap.dedent(
    """
    import http.server, os, sys
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(str(os.getpgrp()).encode())
        def log_message(self, *args): pass
    if os.fork() == 0:
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
    os.wait()
    """
)


def stand_in_stack(tmp_path: Path, **settings: object) -> Stack:
    config = Settings(
        _env_file=None, state_dir=tmp_path, startup_timeout_s=20, probe_interval_s=0.2, **settings
    )
    stack = Stack(config, Path("unused.tar.gz"))
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    stack.services = {}
    for name in ("actions", "gateway"):
        port = free_port()
        stack.services[name] = Service(
            name,
            [sys.executable, str(script), str(port)],
            tmp_path,
            port,
            f"http://127.0.0.1:{port}/health",
        )
    return stack


@pytest.fixture()
def stack(tmp_path: Path) -> Iterator[Stack]:
    with stand_in_stack(tmp_path) as running:
        yield running


def serving_group(stack: Stack, name: str) -> int:
    """The process group (its main process's pid) whose worker answered."""
    return int(httpx.get(stack.services[name].health_url, timeout=2).text)


def supervise_until(supervisor: Supervisor, done, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "the supervisor did not recover the service"
        supervisor.check()
        time.sleep(0.2)


def test_kill_9_of_a_main_process_restarts_that_service_only(stack: Stack):
    supervisor = Supervisor(stack, log=lambda _: None)
    actions, gateway = stack.services["actions"].process, stack.services["gateway"].process
    assert actions and gateway
    os.kill(actions.pid, signal.SIGKILL)  # its worker, an orphan now, still holds the port
    supervise_until(
        supervisor,
        lambda: stack.is_healthy("actions") and serving_group(stack, "actions") != actions.pid,
    )
    assert supervisor.watches["actions"].restarts == 1
    assert supervisor.watches["gateway"].restarts == 0
    assert stack.services["gateway"].process is gateway and gateway.poll() is None


def test_a_wedged_service_counts_as_dead_and_is_restarted(stack: Stack):
    supervisor = Supervisor(stack, log=lambda _: None)
    wedged = stack.services["actions"].process
    assert wedged
    os.killpg(wedged.pid, signal.SIGSTOP)  # port open, nothing answers
    supervise_until(supervisor, lambda: stack.services["actions"].process is not wedged)
    supervise_until(supervisor, lambda: stack.is_healthy("actions"))
    assert wedged.poll() is not None


BUSY = textwrap.dedent(
    """
    import socket, sys
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[1])))
    server.listen()
    while True:  # accepts connections (the backlog), never answers, keeps a core busy
        pass
    """
)


def test_a_service_that_does_not_answer_while_it_works_is_busy_not_dead(stack: Stack):
    script = stack.settings.state_dir / "busy.py"
    script.write_text(BUSY)
    actions = stack.services["actions"]
    stack.stop_service("actions")
    actions.command = [sys.executable, str(script), str(actions.port)]
    stack.start_service("actions", wait=False)
    supervisor = Supervisor(stack, log=lambda _: None)
    for _ in range(6):  # 3× probe_failures rounds, every probe times out
        supervisor.check()
        time.sleep(0.2)
    assert not stack.is_healthy("actions")
    assert supervisor.watches["actions"].restarts == 0
    os.killpg(actions.process.pid, signal.SIGSTOP)  # now it does no work either: dead
    supervise_until(supervisor, lambda: supervisor.watches["actions"].restarts == 1)


def test_restarts_back_off_while_a_service_keeps_failing(stack: Stack):
    supervisor = Supervisor(stack, log=lambda _: None)
    stack.services["actions"].command = [sys.executable, "-c", "raise SystemExit(1)"]
    stack.stop_service("actions")
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        supervisor.check()
        time.sleep(0.05)
    # at 0 s, 1 s and 3 s (back-off 1 s, then 2 s, then 4 s): 3 restarts, not one per round
    assert supervisor.watches["actions"].restarts == 3
    assert supervisor.watches["gateway"].restarts == 0


def test_stop_leaves_no_process_of_any_group(stack: Stack):
    groups = [s.process.pid for s in stack.services.values() if s.process]
    stack.stop()
    assert not any(group_running(group) for group in groups)
    assert all(port_is_free("127.0.0.1", s.port) for s in stack.services.values())


SERVE = textwrap.dedent(
    """
    from pathlib import Path
    from tests.unit.aisle.test_supervisor import stand_in_stack
    from aisle.supervisor import serve
    stack = stand_in_stack(Path({state!r}), rasa_port={rasa_port})
    serve(stack, lambda: print("ready", *(s.port for s in stack.services.values()), flush=True))
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_everything_promptly(tmp_path: Path, sig: signal.Signals):
    script = SERVE.format(state=str(tmp_path), rasa_port=free_port())
    up = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = up.stdout.readline() if up.stdout else ""
        assert line.startswith("ready"), line
        ports = [int(p) for p in line.split()[1:]]
        time.sleep(0.5)  # let the supervisor probe: the signal may land inside a probe or sleep
        up.send_signal(sig)
        assert up.wait(15) == 0
    finally:
        up.kill()
    assert all(port_is_free("127.0.0.1", port) for port in ports)


def test_a_product_store_deleted_under_the_stack_is_ingested_again_then_actions_restart(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
):
    from aisle import supervisor as module

    store = stack.settings.chroma_file
    store.parent.mkdir(parents=True)
    store.write_text("products")
    ingests: list[subprocess.Popen[bytes]] = []

    def ingest(
        settings: Settings,
    ) -> subprocess.Popen[bytes]:  # stands in for `aisle catalog ingest`
        script = f"import pathlib, time; time.sleep(0.5); pathlib.Path({str(store)!r})"
        script += ".write_text('again')"
        ingests.append(subprocess.Popen([sys.executable, "-c", script]))
        return ingests[-1]

    monkeypatch.setattr(module, "ingest_in_background", ingest)
    supervisor = Supervisor(stack, log=lambda _: None)
    supervisor.check()
    assert not ingests  # the store is there
    actions = stack.services["actions"].process
    store.unlink()
    supervise_until(
        supervisor,
        lambda: supervisor.reingests == 1 and not supervisor.watches["actions"].starting_until,
    )
    assert store.read_text() == "again" and len(ingests) == 1
    assert stack.services["actions"].process is not actions  # restarted on the new store
    assert supervisor.watches["gateway"].restarts == 0
    for _ in range(3):
        supervisor.check()
    assert len(ingests) == 1
