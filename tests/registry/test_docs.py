"""Every command is documented, in one language per screen: each group lists its commands with a
help line; Japanese help is Japanese and ``--lang en`` help has no Japanese at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chiiki.cli.main import invoke

README = Path(__file__).resolve().parents[2] / "README.md"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f]")
REGISTRY_COMMANDS = [
    ["db", "init"],
    ["db", "migrate"],
    ["db", "drop"],
    ["info"],
    ["import"],
    ["export"],
    ["summary"],
    ["adoptions", "list"],
    ["region", "show"],
    ["timeline"],
    ["organizations", "duplicates"],
    ["lineage", "rebuild"],
]


def _help(*args: str, lang: str | None = None) -> str:
    r = invoke([*(["--lang", lang] if lang else []), *args, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.stderr
    return r.stdout


def _commands(text: str) -> dict[str, str]:
    """Command name → help line, from the 'Commands:' section (in either language)."""
    parts = re.split(r"^(?:Commands|コマンド):\s*$", text, maxsplit=1, flags=re.M)
    out = {}
    for line in parts[1].lstrip("\n").splitlines() if len(parts) > 1 else []:
        if not line.startswith("  "):
            break
        words = line.strip().split(None, 1)
        if words:
            out[words[0]] = words[1] if len(words) > 1 else ""
    return out


def test_top_level_commands_have_japanese_help() -> None:
    commands = _commands(_help())
    assert {"import", "export", "report", "factors", "hearing", "code", "text", "region", "timeline"} <= set(commands)
    assert all(commands.values()), commands
    assert all(JAPANESE.search(h) for h in commands.values()), commands


@pytest.mark.parametrize(
    "group", ["db", "adoptions", "region", "organizations", "lineage", "factors", "demo", "hearing", "code", "text"]
)
def test_every_sub_command_has_help(group: str) -> None:
    commands = _commands(_help(group))
    assert commands, f"chiiki {group} lists no commands"
    for name, line in commands.items():
        assert line, f"chiiki {group} {name} has no help line"


@pytest.mark.parametrize("command", REGISTRY_COMMANDS, ids=" ".join)
def test_registry_help_is_in_one_language(command: list[str]) -> None:
    en = _help(*command, lang="en")
    assert not JAPANESE.search(en), en
    ja = _help(*command)
    assert JAPANESE.search(ja.split("\n\n", 2)[1]), ja  # the command's own help line is Japanese
    assert "--db" in en and "--db" in ja  # every registry command takes --db


def test_readme_commands_exist() -> None:
    """Each `chiiki X` named in the README's command list is a real command."""
    top = set(_commands(_help()))
    named = {
        line.split()[1]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("chiiki ") and len(line.split()) > 1
    }
    assert named and named <= top, named - top
