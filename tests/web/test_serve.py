"""`chiiki serve` as a real process on a real SQLite file made by `chiiki db init`: the printed
one-time link signs the local admin in and shows the registry's 121 adoptions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
from tests.web.serving import chiiki_command, chiiki_serve


def test_serve_prints_a_link_that_signs_in(tmp_path: Path) -> None:
    db = tmp_path / "chiiki.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIIKI_")}
    env.update({"CHIIKI_DB_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"})
    subprocess.run([*chiiki_command(), "db", "init"], env=env, check=True, capture_output=True, cwd=tmp_path)
    with chiiki_serve(tmp_path, env) as server:
        assert f"http://127.0.0.1:{server.port}/" in "".join(server.printed)
        link = server.link
        with httpx.Client(follow_redirects=True, timeout=30) as client:
            page = client.get(link)
            assert page.status_code == 200 and page.url.path == "/"
            assert "採択 121 件（事業 22、拠点 99" in page.text
            again = httpx.get(link, follow_redirects=True, timeout=30)  # one-time: not a second session
            assert again.url.path == "/signin/" + link.rsplit("/", 1)[1] and "無効" in again.text
        assert (tmp_path / "chiiki-secret.key").exists()  # the session key lives beside the database
