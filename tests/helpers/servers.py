"""Free ports and a Redis probe for the tests that start real servers."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cli(port: int, *command: str) -> str:
    """One command through Debian's redis-cli; its output, or "" when the server is not up."""
    done = subprocess.run(
        ["redis-cli", "-p", str(port), *command], capture_output=True, text=True, timeout=10
    )
    return done.stdout.strip() if done.returncode == 0 else ""
