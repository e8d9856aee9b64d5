"""``chiiki users`` in process, on a real SQLite file and the real PostgreSQL server."""

from __future__ import annotations

import json

import pytest

from chiiki import Settings, Workbench
from chiiki.cli.main import invoke


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    environment = {"CHIIKI_DB_URL": db_url}
    assert invoke(["db", "init", "--empty"], environment).exit_code == 0
    return environment


def _wb(env: dict[str, str]) -> Workbench:
    return Workbench(Settings(db_url=env["CHIIKI_DB_URL"], lang="en"))


def test_users_add_prints_the_generated_password_once(env: dict[str, str]) -> None:
    r = invoke(["--lang", "en", "users", "add", "alice", "--role", "researcher"], env)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "User alice added with the role researcher."
    [password_line] = [ln for ln in lines if ln.startswith("password: ")]
    password = password_line.removeprefix("password: ")
    assert len(password) >= 16 and r.stdout.count(password) == 1
    assert "cannot show it again" in r.stderr and password not in r.stderr
    assert _wb(env).authenticate("alice", password) is not None


def test_users_add_in_japanese(env: dict[str, str]) -> None:
    r = invoke(["users", "add", "bob", "--role", "有識者（研究会）"], env)
    assert r.exit_code == 0, r.stderr
    assert "ユーザー bob をロール expert で追加しました。" in r.stdout and "パスワード: " in r.stdout
    assert "再表示できません" in r.stderr


def test_users_add_reads_one_line_of_stdin(env: dict[str, str]) -> None:
    r = invoke(
        ["--lang", "en", "users", "add", "carol", "--role", "viewer", "--password-stdin"],
        env,
        input="a long pass\nsecond line\n",
    )
    assert r.exit_code == 0, r.stderr
    assert "password:" not in r.stdout
    assert _wb(env).authenticate("carol", "a long pass") is not None
    assert _wb(env).authenticate("carol", "a long pass\n") is None


def test_a_short_password_is_refused_and_nothing_is_added(env: dict[str, str]) -> None:
    r = invoke(["--lang", "en", "users", "add", "dan", "--role", "viewer", "--password-stdin"], env, input="short\n")
    assert r.exit_code == 1
    assert "at least 8 characters" in r.stderr
    assert _wb(env).list_users().rows == []
    r = invoke(["--lang", "en", "users", "add", "dan", "--role", "viewer", "--password-stdin"], env, input="")
    assert r.exit_code == 1 and "no password on standard input" in r.stderr


def test_a_duplicate_name_exits_1(env: dict[str, str]) -> None:
    assert invoke(["users", "add", "erin", "--role", "viewer"], env).exit_code == 0
    r = invoke(["--lang", "en", "users", "add", "erin", "--role", "admin"], env)
    assert r.exit_code == 1 and "A user named erin already exists." in r.stderr
    assert [(u["name"], u["role"]) for u in _wb(env).list_users().rows] == [("erin", "viewer")]
    r = invoke(["--lang", "en", "users", "add", "fay", "--role", "boss"], env)
    assert r.exit_code == 1 and "Unknown role 'boss'" in r.stderr


def test_users_token_prints_a_working_token(env: dict[str, str]) -> None:
    invoke(["users", "add", "gil", "--role", "coordinator"], env)
    r = invoke(["--lang", "en", "users", "token", "gil", "--label", "notebook"], env)
    assert r.exit_code == 0, r.stderr
    token = r.stdout.strip()
    assert len(token) >= 43 and "\n" not in token
    user = _wb(env).user_for_token(token)
    assert user is not None and user.name == "gil"
    r = invoke(["--lang", "en", "users", "token", "nobody"], env)
    assert r.exit_code == 1 and "No user named nobody." in r.stderr


def test_users_list_shows_no_hashes(env: dict[str, str]) -> None:
    for name, role in (("hana", "admin"), ("ivo", "viewer")):
        invoke(["users", "add", name, "--role", role, "--password-stdin"], env, input="a long pass\n")
    _wb(env).new_token("ivo")
    table = invoke(["--lang", "en", "users", "list"], env)
    assert table.exit_code == 0 and "hana" in table.stdout and "ivo" in table.stdout
    as_json = invoke(["users", "list", "--format", "json"], env)
    data = json.loads(as_json.stdout)
    assert data["columns"] == ["name", "role", "created_at", "disabled"]
    assert [(r["name"], r["role"], r["disabled"]) for r in data["rows"]] == [
        ("hana", "admin", False),
        ("ivo", "viewer", False),
    ]
    csv = invoke(["users", "list", "--format", "csv"], env)
    for out in (table.stdout, as_json.stdout, csv.stdout):
        assert "$argon2" not in out and "a long pass" not in out
