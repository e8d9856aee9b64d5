"""Accounts through the Workbench, on a real SQLite file and the real PostgreSQL server:
users and roles, Argon2id passwords, API tokens, one-time sign-in links, per-user workbenches."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from chiiki import Settings, Workbench, WorkbenchError
from chiiki.workbench.accounts_api import UserInfo

PASSWORD = "correct horse battery"


@pytest.fixture
def wb(db_url: str) -> Workbench:
    bench = Workbench(Settings(db_url=db_url, lang="en"))
    bench.init(bundled=False)
    return bench


def _rows(db_url: str, sql: str) -> list[tuple]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _execute(db_url: str, sql: str, **params: object) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def test_authenticate_right_wrong_unknown_disabled(wb: Workbench, db_url: str) -> None:
    done = wb.add_user("alice", "researcher", PASSWORD)
    assert done.data == {"name": "alice", "role": "researcher", "password": None}
    user = wb.authenticate("alice", PASSWORD)
    assert user is not None and (user.name, user.role) == ("alice", "researcher")
    assert wb.authenticate("alice", PASSWORD + "x") is None
    assert wb.authenticate("nobody", PASSWORD) is None
    assert wb.authenticate("", PASSWORD) is None
    _execute(db_url, "UPDATE users SET disabled = true WHERE name = 'alice'")
    assert wb.authenticate("alice", PASSWORD) is None


def test_the_stored_hash_is_argon2id_never_the_password(wb: Workbench, db_url: str) -> None:
    wb.add_user("alice", "viewer", PASSWORD)
    [(stored,)] = _rows(db_url, "SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_a_generated_password_works_and_is_returned_once(wb: Workbench) -> None:
    done = wb.add_user("bob", "閲覧者")  # the Japanese label names the role
    password = done.data["password"]
    assert done.data["role"] == "viewer" and isinstance(password, str) and len(password) >= 16
    assert wb.authenticate("bob", password) == UserInfo(
        id=wb.authenticate("bob", password).id, name="bob", role="viewer"
    )
    assert "password" not in str(wb.list_users().to_dict())


def test_short_passwords_duplicates_and_unknown_roles_are_refused(wb: Workbench) -> None:
    with pytest.raises(WorkbenchError) as short:
        wb.add_user("carol", "viewer", "1234567")
    assert short.value.message.code == "accounts.password_too_short" and short.value.message.params["min"] == 8
    wb.add_user("carol", "viewer", PASSWORD)
    with pytest.raises(WorkbenchError) as dup:
        wb.add_user("ｃａｒｏｌ", "admin", PASSWORD)  # the same name after NFKC
    assert dup.value.message.code == "accounts.user_exists"
    with pytest.raises(WorkbenchError) as role:
        wb.add_user("dave", "boss", PASSWORD)
    assert role.value.message.code == "accounts.unknown_role" and "viewer" in role.value.message.params["choices"]
    assert [r["name"] for r in wb.list_users().rows] == ["carol"]


def test_an_unknown_user_costs_a_verification(wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user enumeration by timing: an unknown name is verified against the dummy hash."""
    from chiiki.accounts import passwords

    seen: list[str] = []
    real = passwords.verify

    def spy(stored_hash: str, password: str) -> bool:
        seen.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(passwords, "verify", spy)
    assert wb.authenticate("nobody", PASSWORD) is None
    assert seen == [passwords.dummy_hash()] and seen[0].startswith("$argon2id$")


def test_an_outdated_hash_is_replaced_at_sign_in(wb: Workbench, db_url: str) -> None:
    wb.add_user("erin", "viewer", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    _execute(db_url, "UPDATE users SET password_hash = :h WHERE name = 'erin'", h=weak)
    assert wb.authenticate("erin", PASSWORD) is not None
    [(stored,)] = _rows(db_url, "SELECT password_hash FROM users")
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)
    assert wb.authenticate("erin", PASSWORD) is not None


def test_api_token_round_trip_stores_only_its_hash(wb: Workbench, db_url: str) -> None:
    wb.add_user("alice", "coordinator", PASSWORD)
    token = wb.new_token("alice", label="script").data["token"]
    assert len(token) >= 43
    [(stored, label, last_used)] = _rows(db_url, "SELECT token_hash, label, last_used_at FROM api_tokens")
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert label == "script" and last_used is None
    user = wb.user_for_token(token)
    assert user is not None and (user.name, user.role) == ("alice", "coordinator")
    assert _rows(db_url, "SELECT last_used_at FROM api_tokens")[0][0] is not None
    assert wb.user_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert wb.user_for_token("") is None
    with pytest.raises(WorkbenchError) as missing:
        wb.new_token("nobody")
    assert missing.value.message.code == "accounts.user_not_found"
    _execute(db_url, "UPDATE users SET disabled = true")
    assert wb.user_for_token(token) is None


def test_a_signin_link_works_once(wb: Workbench, db_url: str) -> None:
    wb.add_user("alice", "admin", PASSWORD)
    token = wb.signin_link("alice")
    [(stored, used)] = _rows(db_url, "SELECT token_hash, used_at FROM signin_links")
    assert stored == hashlib.sha256(token.encode()).hexdigest() and used is None
    user = wb.consume_signin(token)
    assert user is not None and user.name == "alice"
    assert _rows(db_url, "SELECT used_at FROM signin_links")[0][0] is not None
    assert wb.consume_signin(token) is None
    assert wb.consume_signin("not-a-token") is None


def test_a_signin_link_expires(wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    from chiiki.accounts import tokens

    wb.add_user("alice", "viewer", PASSWORD)
    assert wb.consume_signin(wb.signin_link("alice", ttl_seconds=0)) is None
    later = wb.signin_link("alice")  # 600 s
    start = tokens.now()
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(seconds=601))
    assert wb.consume_signin(later) is None
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(seconds=590))
    assert wb.consume_signin(later) is not None
    with pytest.raises(WorkbenchError) as bad:
        wb.signin_link("alice", ttl_seconds=-1)
    assert bad.value.message.code == "accounts.bad_ttl"


def test_ensure_local_admin_makes_one_admin(wb: Workbench, db_url: str) -> None:
    assert wb.ensure_local_admin() == "admin"
    assert wb.ensure_local_admin() == "admin"
    [(role, stored)] = _rows(db_url, "SELECT role, password_hash FROM users")
    assert role == "admin" and stored.startswith("$argon2id$")
    user = wb.consume_signin(wb.signin_link("admin"))
    assert user is not None and user.may_see_personal


def test_ensure_local_admin_leaves_a_viewer_named_admin_alone(wb: Workbench, db_url: str) -> None:
    wb.add_user("admin", "viewer", PASSWORD)
    assert wb.ensure_local_admin() == "admin-2"
    assert wb.authenticate("admin", PASSWORD) is not None and wb.authenticate("admin", PASSWORD).role == "viewer"


def test_as_user_applies_the_personal_data_rule(wb: Workbench, tmp_path: Path) -> None:
    """A viewer's workbench refuses a transcript's text; a researcher's shows it."""
    transcript = tmp_path / "interview.txt"
    transcript.write_text("A: 産学連携の話です（サンプル）。\nB: はい。\n", encoding="utf-8")
    done = wb.import_document(transcript, title="sample interview", sample=True)
    doc = done.data.get("id") or done.data.get("document_id")
    viewer = wb.as_user(UserInfo(id=1, name="vera", role="viewer"))
    researcher = wb.as_user(UserInfo(id=2, name="rin", role="researcher"))
    assert viewer.settings.user == "vera" and not viewer.settings.allow_personal
    assert viewer.settings.db_url == wb.settings.db_url and viewer.lang == "en"
    with pytest.raises(WorkbenchError) as refused:
        viewer.document_detail(doc, include_personal=True)
    assert refused.value.message.code == "workbench.personal_not_allowed"
    assert refused.value.message.params["user"] == "vera"
    assert viewer.document_detail(doc).document["withheld"]
    shown = researcher.document_detail(doc, include_personal=True).document
    assert not shown["withheld"] and "産学連携" in shown["text"]
    assert wb.with_lang("ja").lang == "ja" and wb.lang == "en"


def test_user_info_serializes() -> None:
    info = UserInfo(id=3, name="x", role="expert")
    assert info.to_dict() == {"id": 3, "name": "x", "role": "expert", "may_see_personal": False}
    assert UserInfo(id=1, name="a", role="admin").may_see_personal
