"""A real ``chiiki serve`` process for the tests that need one (``test_serve.py`` and the browser
tests): started on a free port, its printed one-time link read from stdout, stopped with the
signal Ctrl-C sends, and its stderr checked for a traceback."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/signin/\S+)")
STARTUP_SECONDS = 120  # generous: a refusal bound, not a speed assertion


def chiiki_command() -> list[str]:
    return [sys.executable, "-c", "from chiiki.cli.main import run; run()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    base: str
    port: int
    link: str
    printed: list[str]


def _read_link(proc: subprocess.Popen[str], deadline: float) -> tuple[str, list[str]]:
    lines: list[str] = []
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = LINK_RE.search(line)
        if m:
            return m.group(1), lines
    raise AssertionError(f"no sign-in link printed: {lines!r}")


def _wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def chiiki_serve(folder: Path, env: Mapping[str, str]) -> Iterator[Running]:
    """``chiiki serve`` in ``folder`` until the block ends; no traceback may reach its stderr."""
    port = free_port()
    proc = subprocess.Popen(
        [*chiiki_command(), "serve", "--port", str(port)],
        env=dict(env),
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        link, printed = _read_link(proc, deadline)
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, deadline)
        yield Running(base, port, link, printed)
    finally:
        _stop(proc)
    err = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in err, err[-2000:]
