"""The root CLI in-process: both languages, every command's help, one-line errors."""

from __future__ import annotations

import re

import pytest

from chiiki.cli.main import LAZY, build, detect_lang, invoke

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _tree(argv: list[str]) -> list[list[str]]:
    """Every command path under the command ``argv`` mounts (lazy groups mounted one by one)."""
    paths: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(build(argv, {}), [])
    return paths


def all_command_paths() -> list[list[str]]:
    paths = {tuple(p) for p in _tree([])}
    for name in LAZY:
        paths |= {tuple(p) for p in _tree([name]) if p and p[0] == name}
    return sorted(list(p) for p in paths)


def test_language_detection() -> None:
    assert detect_lang(["--lang", "en", "summary"], {}) == "en"
    assert detect_lang(["--lang=en"], {}) == "en"
    assert detect_lang([], {"CHIIKI_LANG": "en"}) == "en"
    assert detect_lang([], {}) == "ja"


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "chiiki")
def test_help_of_every_command_in_both_languages(path: list[str]) -> None:
    en = invoke(["--lang", "en", *path, "--help"])
    ja = invoke([*path, "--help"])
    assert en.exit_code == 0 and ja.exit_code == 0, en.output + ja.output
    assert JAPANESE.search(en.stdout) is None, en.stdout
    assert JAPANESE.search(ja.stdout), ja.stdout
    assert "Show this message" not in ja.stdout


def test_version_and_unknown_command() -> None:
    r = invoke(["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("chiiki ")
    r = invoke(["--lang", "en", "no-such-command"])
    assert r.exit_code == 2 and "No such command" in r.stderr


def test_no_environment_leaks_between_invocations(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    monkeypatch.delenv("CHIIKI_DB_URL", raising=False)
    before = dict(os.environ)
    invoke(["--db", str(tmp_path / "x.db"), "--lang", "en", "info"])
    assert dict(os.environ) == before
