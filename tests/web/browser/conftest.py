"""Real-browser tests: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python
against a real ``chiiki serve`` process on a real SQLite file made by ``chiiki db init``.

Playwright's own browser download is not used (it needs a CDN that offline and proxied machines
do not reach); pytest-playwright's fixtures launch the system Chromium instead. Without
``/usr/bin/chromium`` the tests skip — except under CI, where they must run and so fail.

Every test file here carries ``pytest.mark.xdist_group("browser")``: under ``-n auto --dist
loadgroup`` all browser tests share one worker, hence one Chromium. Each file gets its own server
(module scope), so each file has a fresh one-time sign-in link.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page
from tests.web.serving import chiiki_command, chiiki_serve

CHROMIUM = Path(os.environ.get("CHIIKI_CHROMIUM") or "/usr/bin/chromium")  # Debian's; another for a try
REPO = Path(__file__).resolve().parents[3]
PASSWORDS = {role: f"pw-{role}-0123456789" for role in ("admin", "researcher", "coordinator", "expert", "viewer")}


def screenshot_dir() -> Path:
    """Screenshots go to ``out/screenshots`` (gitignored) unless CHIIKI_SCREENSHOTS names a folder:
    a person (or CI's artifact upload) looks at them after the run."""
    folder = Path(os.environ.get("CHIIKI_SCREENSHOTS") or REPO / "out" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at Debian's Chromium. No sandbox: test
    containers run as root, where Chromium refuses its sandbox."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {CHROMIUM} for the browser tests (scripts/system-deps.sh installs it)")
        pytest.skip(f"no {CHROMIUM} (apt-get install chromium); browser tests skipped")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "ja-JP"}


@dataclass
class Server:
    """A running ``chiiki serve``: its address, the printed one-time link, the database URL."""

    base: str
    link: str
    db_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``chiiki db init`` on a fresh SQLite file, one user per role (``Workbench.add_user``), then
    ``chiiki serve`` on a free port, as a person would start it."""
    folder = tmp_path_factory.mktemp("serve")
    db_url = f"sqlite:///{folder / 'chiiki.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIIKI_")}
    env.update({"CHIIKI_DB_URL": db_url, "PYTHONUNBUFFERED": "1"})
    subprocess.run([*chiiki_command(), "db", "init"], env=env, check=True, capture_output=True, cwd=folder)
    from chiiki import Workbench
    from chiiki.model.db import dispose_engines

    wb = Workbench.open(db_url)
    for role, password in PASSWORDS.items():
        wb.add_user(f"u_{role}", role, password)
    dispose_engines()
    with chiiki_serve(folder, env) as running:
        yield Server(running.base, running.link, db_url)


@dataclass
class Console:
    """Every console message and uncaught page error of one page, with the URL it came from."""

    messages: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Errors and CSP violations (Chromium reports a blocked inline script or style as a
        console error naming the Content Security Policy), and every failed request except the
        favicon Chromium asks for on its own (the pages declare none; that 404 is not ours to fix
        here). Chromium's "Failed to load resource" console line names no URL, so failed requests
        are matched by the response listener instead."""
        found = [f"{url}: pageerror {text}" for url, text in self.errors]
        found += [f"HTTP {status} {url}" for status, url in self.failed if not url.endswith("/favicon.ico")]
        for kind, text, url in self.messages:
            if text.startswith("Failed to load resource"):
                continue  # counted by URL in ``failed``
            if kind == "error" or "Content Security Policy" in text:
                found.append(f"{url}: console.{kind} {text}")
        return found


@pytest.fixture
def console(page: Page) -> Console:
    """Collects the page's console output from the first navigation on."""
    seen = Console()

    def on_console(msg: ConsoleMessage) -> None:
        seen.messages.append((msg.type, msg.text, page.url))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.errors.append((page.url, str(exc))))
    page.on("response", lambda r: seen.failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: seen.failed.append((0, r.url)))
    return seen


@pytest.fixture
def shoot(page: Page, request: pytest.FixtureRequest) -> Any:
    """``shoot("step")`` saves a full-page screenshot named after the test and the step."""

    def save(step: str) -> Path:
        path = screenshot_dir() / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def sign_in_with_password(page: Page, server: Server, role: str) -> None:
    """Fill and submit the /login form as a person does (the CSRF field comes with the form)."""
    page.goto(f"{server.base}/login")
    page.fill("input[name=name]", f"u_{role}")
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{server.base}/")
