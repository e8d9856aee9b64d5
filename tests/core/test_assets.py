"""The web workbench's front-end files come from the npm registry, pinned by package-lock.json.

`make setup` runs scripts/assets.sh: `npm ci` into node_modules/, then htmx.min.js is copied into
src/chiiki/web/static/vendor/ (never a CDN at run time, never vendored by hand). These tests check the
pin, that the served copy is byte for byte the locked package's file, and the script's behaviour in
a scratch copy of the repository: a second run does nothing, a tampered copy is restored, a missing
npm or an unreachable registry fails loudly and copies nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VENDOR = Path("src/chiiki/web/static/vendor")
HTMX = "node_modules/htmx.org"
DIST = f"{HTMX}/dist/htmx.min.js"
SETUP_HINT = "run `make setup` (scripts/assets.sh) first"


def lock() -> dict[str, Any]:
    return json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def locked_htmx() -> dict[str, Any]:
    return lock()["packages"][HTMX]  # type: ignore[no-any-return]


def test_package_json_pins_htmx_to_one_exact_version_and_the_lock_agrees() -> None:
    wanted = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted["htmx.org"]), "pin an exact version, no range"
    assert lock()["packages"][""]["dependencies"] == wanted
    entry = locked_htmx()
    assert entry["version"] == wanted["htmx.org"]
    assert entry["integrity"].startswith("sha512-")


def test_node_modules_and_static_files_are_ignored_by_git() -> None:
    paths = ["node_modules/htmx.org/package.json", str(VENDOR / "htmx.min.js"), "chiiki-secret.key"]
    out = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert sorted(out.stdout.split()) == sorted(paths)


def test_served_htmx_is_the_locked_package_file() -> None:
    served = REPO / VENDOR / "htmx.min.js"
    assert served.is_file(), SETUP_HINT
    entry = locked_htmx()
    installed = json.loads((REPO / HTMX / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == entry["version"]
    # npm's own record of what `npm ci` installed: the tarball whose integrity the lock names
    record = json.loads((REPO / "node_modules/.package-lock.json").read_text(encoding="utf-8"))
    assert record["packages"][HTMX]["integrity"] == entry["integrity"]
    assert served.read_bytes() == (REPO / DIST).read_bytes()
    found = re.search(rb'\bversion\s*[:=]\s*"(\d[^"]*)"', served.read_bytes())
    assert found is not None and found.group(1).decode() == entry["version"]


def npm_cache() -> Path:
    out = subprocess.run(["npm", "config", "get", "cache"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_served_htmx_equals_the_file_inside_the_tarball_the_lock_names() -> None:
    """The lock's sha512 is the tarball's: find that tarball in npm's content-addressed cache, check
    its hash ourselves, and compare its dist/htmx.min.js with the served copy."""
    algo, b64 = locked_htmx()["integrity"].split("-", 1)
    digest = base64.b64decode(b64)
    hexd = digest.hex()
    tarball = npm_cache() / "_cacache" / "content-v2" / algo / hexd[:2] / hexd[2:4] / hexd[4:]
    if not tarball.is_file():
        pytest.skip(f"the locked tarball is not in npm's cache ({tarball})")
    data = tarball.read_bytes()
    assert hashlib.new(algo, data).digest() == digest
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile("package/dist/htmx.min.js")
        assert member is not None
        assert member.read() == (REPO / VENDOR / "htmx.min.js").read_bytes()


def test_the_web_app_serves_the_copy_signed_out_with_its_security_headers(tmp_path: Path) -> None:
    """The path the base template names, /static/vendor/htmx.min.js, is the locked file, served by
    the app itself (no CDN) to a browser that has not signed in yet (the sign-in page needs it)."""
    from fastapi.testclient import TestClient

    from chiiki import Settings
    from chiiki.web.app import create_app

    served = REPO / VENDOR / "htmx.min.js"
    assert served.is_file(), SETUP_HINT
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'chiiki.db'}"), secret_key="test-key")
    with TestClient(app) as client:
        r = client.get("/static/vendor/htmx.min.js")
    assert r.status_code == 200
    assert r.content == served.read_bytes()
    assert "javascript" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    template = (REPO / "src/chiiki/web/templates/base.html").read_text(encoding="utf-8")
    assert '<script src="/static/vendor/htmx.min.js"' in template


# --- scripts/assets.sh in a scratch copy of the repository -------------------------------------------


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """package.json, the lock and the script, without node_modules (each test adds what it needs)."""
    (tmp_path / "scripts").mkdir()
    for name in ("package.json", "package-lock.json", "scripts/assets.sh"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


def with_installed(root: Path) -> Path:
    """The repository's installed node_modules, so the script need not reach the registry."""
    assert (REPO / DIST).is_file(), SETUP_HINT
    shutil.copytree(REPO / "node_modules", root / "node_modules", symlinks=True)
    return root


def run(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(root / "scripts" / "assets.sh")],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def offline(root: Path) -> dict[str, str]:
    """npm pointed at a closed port with an empty cache: the registry is unreachable."""
    return {
        "npm_config_registry": "http://127.0.0.1:9/",
        "npm_config_cache": str(root / "empty-npm-cache"),
        "npm_config_fetch_retries": "0",
        "npm_config_offline": "false",
    }


def test_assets_script_copies_then_does_nothing_on_a_second_run(scratch: Path) -> None:
    root = with_installed(scratch)
    first = run(root)
    assert first.returncode == 0, first.stderr
    assert (root / VENDOR / "htmx.min.js").read_bytes() == (REPO / DIST).read_bytes()
    assert (root / VENDOR / ".assets.sha256").is_file()
    # nothing to do: npm is not even looked for
    second = run(root, CHIIKI_NPM=str(root / "no-such-npm"))
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stdout


def test_assets_script_restores_a_tampered_copy(scratch: Path) -> None:
    root = with_installed(scratch)
    assert run(root).returncode == 0
    served = root / VENDOR / "htmx.min.js"
    served.write_text("alert('not htmx')", encoding="utf-8")
    again = run(root)
    assert again.returncode == 0, again.stderr
    assert served.read_bytes() == (REPO / DIST).read_bytes()


def test_assets_script_without_npm_fails_loudly_and_copies_nothing(scratch: Path) -> None:
    out = run(scratch, CHIIKI_NPM=str(scratch / "no-such-npm"))
    assert out.returncode != 0
    assert "npm is missing" in out.stderr
    assert not (scratch / VENDOR / "htmx.min.js").exists()


def test_assets_script_with_the_registry_unreachable_fails_loudly(scratch: Path) -> None:
    out = run(scratch, **offline(scratch))
    assert out.returncode != 0
    assert "npm ci failed" in out.stderr and "registry" in out.stderr
    assert not (scratch / VENDOR / "htmx.min.js").exists()


def test_a_changed_lock_is_not_taken_as_up_to_date(scratch: Path) -> None:
    """The stamp covers the lock: after a version bump the old copy is not kept silently; with the
    registry unreachable the new version cannot be fetched, so the script fails."""
    root = with_installed(scratch)
    assert run(root).returncode == 0
    data = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    data["packages"][HTMX]["version"] = "0.0.1"
    (root / "package-lock.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = run(root, **offline(root))
    assert out.returncode != 0
    assert "up to date" not in out.stdout
    assert "npm ci failed" in out.stderr
