"""Keep a started :class:`~aisle.stack.Stack` running: restart only the service that died.

Every ``probe_interval_s`` each service is checked: a process that exited is dead, and so is
one whose health URL failed ``probe_failures`` probes in a row (2 s each) while it used
almost no CPU — a wedged worker (``kill -9`` of the action server's serving worker leaves its
port open; ``SIGSTOP``) counts as dead. A service that does not answer its probe while it
keeps using CPU is busy (Rasa under load answers its probe late), not dead. A dead service's
whole process group is stopped and started again, with a back-off that doubles from 1 s to
60 s while it keeps failing; the other services are left alone.

The embedded product store is watched too: when its file is deleted under the running stack
(the action server goes on searching its in-memory copy), the catalogue is ingested again in
the background and the action server is then restarted on the new store.

Stopping is signal-safe: SIGINT/SIGTERM raise :class:`StopRequested` in the main thread (as
Ctrl-C raises KeyboardInterrupt) instead of touching a lock from inside a signal handler, and
:func:`serve` then stops every process group.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from aisle.preparation import ingest_in_background, stop_training
from aisle.stack import Stack

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 60.0
STABLE_S = 60.0  # ready this long after a restart: the back-off starts again from 1 s
# CPU seconds per second since the last round above which a silent service is busy rather than
# wedged: low, since on a crowded machine a busy process gets a small share of a core, and a
# stopped or wedged one uses none
BUSY_CPU_SHARE = 0.02
INGEST_RETRY_S = 60.0  # after a failed re-ingest


class StopRequested(Exception):
    """SIGINT or SIGTERM arrived."""


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise StopRequested(signal.Signals(signum).name)


@dataclass
class Watch:
    """What the supervisor knows about one service."""

    failures: int = 0  # consecutive failed probes
    restarts: int = 0
    backoff_s: float = FIRST_BACKOFF_S
    next_restart: float = 0.0  # monotonic time before which no restart happens
    starting_until: float | None = None  # set while a restarted service is not ready yet
    ready_at: float = 0.0
    cpu_s: float = 0.0  # the service's CPU time at the last round
    checked_at: float = 0.0


class Supervisor:
    """Probes and restarts the services of a started stack, one round per :meth:`check`.

    Call it from a thread that outlives the stack (``aisle up``'s main thread): each server
    gets SIGTERM when the thread that started it ends (PR_SET_PDEATHSIG is per thread)."""

    def __init__(self, stack: Stack, log: Callable[[str], None] = print) -> None:
        self.stack = stack
        self.log = log
        now = time.monotonic()
        self.watches = {
            name: Watch(ready_at=now, cpu_s=stack.cpu_seconds(name), checked_at=now)
            for name in stack.services
        }
        self.store_file = stack.settings.chroma_file
        # Only a store deleted under the running stack is ingested again (a Chroma server, or
        # a stack started without one, has no file here to watch).
        self.store_seen = not stack.settings.chroma_url and self.store_file.exists()
        self.ingest: subprocess.Popen[bytes] | None = None  # a re-ingest in progress
        self.ingest_after = 0.0  # monotonic time before which no re-ingest starts
        self.reingests = 0

    def check(self) -> None:
        """One round: probe every service, restart those that are dead; re-ingest a deleted
        product store."""
        for name in self.stack.services:
            self._check(name, time.monotonic())
        self._check_catalogue(time.monotonic())

    def stop(self) -> None:
        """Stop a re-ingest in progress (the servers are the stack's to stop)."""
        stop_training(self.ingest)

    def _check_catalogue(self, now: float) -> None:
        if not self.store_seen:
            return
        if self.ingest is None:
            if now >= self.ingest_after and not self.store_file.exists():
                self.log("The product store is gone; ingesting the catalogue again (ingest.log).")
                self.ingest = ingest_in_background(self.stack.settings)
            return
        if self.ingest.poll() is None:
            return
        failed, self.ingest = self.ingest.returncode != 0, None
        if failed:
            self.log(
                f"Ingesting the catalogue failed (ingest.log); next try in {INGEST_RETRY_S:.0f} s."
            )
            self.ingest_after = now + INGEST_RETRY_S
            return
        self.reingests += 1
        self._restart("actions", self.watches["actions"], now, "must load the new product store")

    def _check(self, name: str, now: float) -> None:
        watch, settings = self.watches[name], self.stack.settings
        process = self.stack.services[name].process
        exited = process is None or process.poll() is not None
        if watch.starting_until is not None:
            if not exited and self.stack.is_healthy(name):
                self._ready(name, watch, now)
                return
            if not exited and now < watch.starting_until:
                return
            dead = True
        elif exited:
            dead = True
        else:
            busy = self._busy(name, watch, now)
            if self.stack.is_healthy(name):
                watch.failures = 0
            elif not busy:
                watch.failures += 1
            dead = watch.failures >= settings.probe_failures
            if not dead and now - watch.ready_at > STABLE_S:
                watch.backoff_s = FIRST_BACKOFF_S
        if dead and now >= watch.next_restart:
            self._restart(name, watch, now, "exited" if exited else "does not answer")

    def _busy(self, name: str, watch: Watch, now: float) -> bool:
        """Whether the service used CPU since the last round (``BUSY_CPU_SHARE`` of the time)."""
        cpu_s, elapsed = self.stack.cpu_seconds(name), now - watch.checked_at
        busy = cpu_s - watch.cpu_s > BUSY_CPU_SHARE * elapsed
        watch.cpu_s, watch.checked_at = cpu_s, now
        return busy

    def _restart(self, name: str, watch: Watch, now: float, why: str) -> None:
        self.log(f"{name} {why}; restarting it (back-off {watch.backoff_s:.0f} s).")
        self.stack.stop_service(name)
        self.stack.start_service(name, wait=False)
        watch.restarts += 1
        watch.failures = 0
        watch.starting_until = now + self.stack.settings.startup_timeout_s
        watch.next_restart = now + watch.backoff_s
        watch.backoff_s = min(watch.backoff_s * 2, MAX_BACKOFF_S)

    def _ready(self, name: str, watch: Watch, now: float) -> None:
        self.log(f"{name} is back.")
        watch.starting_until = None
        watch.ready_at = now
        if name == "actions":
            # Load the search models before a shopper's search has to (off the probe loop).
            threading.Thread(target=self.stack.warm_up, daemon=True).start()

    def run(self, tick: Callable[[], None] = lambda: None) -> None:
        """Check every ``probe_interval_s``, then call ``tick``, until a signal raises
        :class:`StopRequested`."""
        while True:
            time.sleep(self.stack.settings.probe_interval_s)
            self.check()
            tick()


def serve(
    stack: Stack,
    announce: Callable[[], None] = lambda: None,
    tick: Callable[[], None] = lambda: None,
) -> None:
    """Start the stack, warm it up, call ``announce``, supervise it (calling ``tick`` after each
    round) until SIGINT/SIGTERM, then stop every service's process group. StackError when a
    service does not start."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _raise_stop)
    supervisor: Supervisor | None = None
    try:
        stack.start()
        stack.warm_up()
        announce()
        supervisor = Supervisor(stack)
        supervisor.run(tick)
    except StopRequested:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the stopping short
        if supervisor is not None:
            supervisor.stop()
        stack.stop()
