"""`chiiki serve` as a real process on a real SQLite file made by `chiiki db init`: the printed
one-time link signs the local admin in and shows the registry's 121 adoptions."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/signin/\S+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chiiki() -> list[str]:
    return [sys.executable, "-c", "from chiiki.cli.main import run; run()"]


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


def test_serve_prints_a_link_that_signs_in(tmp_path: Path) -> None:
    db = tmp_path / "chiiki.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIIKI_")}
    env.update({"CHIIKI_DB_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"})
    subprocess.run([*_chiiki(), "db", "init"], env=env, check=True, capture_output=True, cwd=tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
        [*_chiiki(), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120  # generous: a refusal bound, not a speed assertion
        link, lines = _read_link(proc, deadline)
        assert f"http://127.0.0.1:{port}/" in "".join(lines)
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, deadline)
        with httpx.Client(follow_redirects=True, timeout=30) as client:
            page = client.get(link)
            assert page.status_code == 200 and page.url.path == "/"
            assert "採択 121 件（事業 22、拠点 99" in page.text
            again = httpx.get(link, follow_redirects=True, timeout=30)  # one-time: not a second session
            assert again.url.path == "/signin/" + link.rsplit("/", 1)[1] and "無効" in again.text
        assert (tmp_path / "chiiki-secret.key").exists()  # the session key lives beside the database
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    err = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in err, err[-2000:]
