"""Start and stop Aisle's three servers (Rasa, action server, gateway) as child processes.

``aisle up`` and the integration tests use the same code, so the tests exercise exactly what a
store owner runs. Each server runs in its own process group; stopping sends SIGTERM to the
whole group, then SIGKILL after a grace period, so no orphan is left behind — even when the
group's leader is already gone and a worker of it still holds the port.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from aisle.rasa_endpoints import endpoints_path, write_endpoints
from core.settings import REPO_ROOT, Settings

_PR_SET_PDEATHSIG = 1


# Read by numpy's OpenBLAS, OpenMP (ONNX Runtime, scikit-learn) and MKL when they load
MATH_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class StackError(RuntimeError):
    """A server did not start; the message carries the end of its log."""


def _die_with_parent() -> None:
    # Linux: if `aisle up` itself is killed, the kernel sends SIGTERM to the children too.
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as ``AISLE_*`` variables, so every child reads the same configuration."""
    env = {
        f"AISLE_{name.upper()}": str(value)
        for name, value in settings.model_dump().items()
        if value is not None
    }
    env["AISLE_ACTION_URL"] = settings.action_url  # read by bot/endpoints.yml
    return env


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@dataclass
class Service:
    """One server: how to start it and how to tell it is ready."""

    name: str
    command: list[str]
    cwd: Path
    port: int
    health_url: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)


class Stack:
    """The running servers of one Aisle instance."""

    def __init__(self, settings: Settings, rasa_model: Path) -> None:
        self.settings = settings
        self.env = {
            **os.environ,
            **settings_env(settings),
            "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": settings.internal_bind,  # the action server's bind address
            **{name: str(settings.server_threads) for name in MATH_THREAD_VARIABLES},
        }
        host, python = settings.internal_bind, sys.executable
        endpoints = endpoints_path(settings)  # written before each Rasa start (start_service)
        rasa = {
            name: Service(
                name,
                # serve.py adds --auth-token from AISLE_RASA_TOKEN, out of sight of `ps`;
                # --enable-api: the gateway reads each turn's NLU annotation from the tracker.
                [str(settings.rasa_python), "serve.py", "run", "--interface", host]
                + ["--port", str(port), "--enable-api", "--endpoints", str(endpoints)]
                + ["--credentials", "credentials.yml", "--model", str(rasa_model)],
                REPO_ROOT / "bot",
                port,
                f"http://{settings.rasa_host or host}:{port}/",
            )
            for name, port in settings.rasa_replica_ports().items()
        }
        self.services = {
            "actions": Service(
                "actions",
                [python, "-m", "rasa_sdk", "--actions", "actions"]
                + ["--port", str(settings.action_port)],
                REPO_ROOT,
                settings.action_port,
                settings.action_health_url,
            ),
            **rasa,
            "gateway": Service(
                "gateway",
                [python, "-m", "uvicorn", "gateway.main:app"]
                + ["--host", settings.host, "--port", str(settings.gateway_port)],
                REPO_ROOT,
                settings.gateway_port,
                f"{settings.gateway_url}/static/widget.js",
            ),
        }

    def log_path(self, name: str) -> Path:
        return self.settings.logs_dir / f"{name}.log"

    def start(self) -> None:
        """Start every server and wait until each answers; on failure stop them all."""
        busy = [
            s
            for s in self.services.values()
            if not port_is_free(self.settings.host, s.port)
            or not port_is_free(self.settings.internal_bind, s.port)
        ]
        if busy:
            ports = ", ".join(f"{s.name} on {s.port}" for s in busy)
            raise StackError(f"ports already in use: {ports}. Is another Aisle running?")
        try:
            for name in self.services:
                self.start_service(name, wait=False)
            for name in self.services:
                self.wait_ready(name)
        except BaseException:
            self.stop()
            raise

    def start_service(self, name: str, *, wait: bool = True) -> None:
        service = self.services[name]
        if name in self.settings.rasa_replica_ports():
            # From this stack's settings, whoever wrote the file last (another stack on the
            # same state folder, e.g. a test's Rasa on PostgreSQL): Rasa reads its stores here.
            write_endpoints(self.settings)
        self.settings.logs_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path(name).open("ab") as log:
            service.process = subprocess.Popen(
                service.command,
                cwd=service.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        if wait:
            self.wait_ready(name)

    def wait_ready(self, name: str) -> None:
        service = self.services[name]
        deadline = time.monotonic() + self.settings.startup_timeout_s
        while time.monotonic() < deadline:
            if service.process is not None and service.process.poll() is not None:
                raise StackError(f"{name} exited at start-up:\n{self._log_tail(name)}")
            try:
                if httpx.get(service.health_url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StackError(
            f"{name} did not answer within the start-up timeout:\n{self._log_tail(name)}"
        )

    def warm_up(self) -> None:
        """One search straight to Rasa (no gateway timeout), so the action server loads its
        models and indexes before the first shopper."""
        # A failed warm-up is not fatal: the shopper's first search will load the models.
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                f"{self.settings.rasa_url}/webhooks/rest/webhook",
                json={"sender": "aisle-warm-up", "message": "show me tea"},
                timeout=120.0,
            )

    def is_healthy(self, name: str, timeout_s: float = 2.0) -> bool:
        """Whether the service's health URL answers 200 within ``timeout_s``."""
        try:
            return httpx.get(self.services[name].health_url, timeout=timeout_s).status_code == 200
        except httpx.HTTPError:
            return False

    def cpu_seconds(self, name: str) -> float:
        """CPU time the service's process group has used so far (0 when not started)."""
        process = self.services[name].process
        return group_cpu_seconds(process.pid) if process is not None else 0.0

    def stop_service(self, name: str, grace_s: float = 10.0) -> None:
        """SIGTERM the service's whole process group, SIGKILL what is left after ``grace_s``."""
        process = self.services[name].process
        if process is None:
            return
        group = process.pid  # the leader's pid names its group (setsid), even once it is gone
        _signal_group(group, signal.SIGCONT)  # a stopped (SIGSTOP) group cannot handle SIGTERM
        _signal_group(group, signal.SIGTERM)
        _wait_group(group, process, grace_s)
        _signal_group(group, signal.SIGKILL)
        process.wait()
        _wait_group(group, process, 5.0)  # SIGKILL is delivered asynchronously

    def stop(self) -> None:
        """Stop every server (gateway first, so no request reaches a half-stopped stack)."""
        for name in reversed(list(self.services)):
            self.stop_service(name)

    def _log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_path(name)
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(group: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sig)


def _wait_group(group: int, leader: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while leader.poll() is None or group_running(group):
        if time.monotonic() > deadline:
            return
        time.sleep(0.1)


def _group_stats(group: int) -> list[list[str]]:
    """The ``/proc/<pid>/stat`` fields after "(comm)" of each process of the group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its ")"
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == group:
                found.append(fields)
    return found


def group_cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the live processes of a process group."""
    tick = os.sysconf("SC_CLK_TCK")
    return sum((int(f[11]) + int(f[12])) / tick for f in _group_stats(group))


def group_running(group: int) -> bool:
    """Whether a process of the group still runs (zombies, which hold no port, do not count)."""
    return any(fields[0] != "Z" for fields in _group_stats(group))
