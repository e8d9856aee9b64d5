"""Every command is documented: each sub-command group lists its commands with a help line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHIIKI = str(Path(sys.executable).parent / "chiiki")
README = Path(__file__).resolve().parents[2] / "README.md"


def _help(*args: str) -> str:
    r = subprocess.run([CHIIKI, *args, "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _commands(text: str) -> dict[str, str]:
    lines = text.split("Commands:", 1)[1].splitlines() if "Commands:" in text else []
    out = {}
    for line in lines:
        parts = line.strip().split(None, 1)
        if parts:
            out[parts[0]] = parts[1] if len(parts) > 1 else ""
    return out


def test_top_level_commands_have_japanese_help() -> None:
    commands = _commands(_help())
    assert {"import", "export", "report", "factors", "hearing", "code", "text", "region", "timeline"} <= set(commands)
    assert all(commands.values()), commands
    assert all(any("\u3040" <= ch <= "\u9fff" for ch in h) for h in commands.values())


@pytest.mark.parametrize(
    "group", ["db", "adoptions", "region", "organizations", "lineage", "factors", "demo", "hearing", "code", "text"]
)
def test_every_sub_command_has_help(group: str) -> None:
    commands = _commands(_help(group))
    assert commands, f"chiiki {group} lists no commands"
    for name, line in commands.items():
        assert line, f"chiiki {group} {name} has no help line"


def test_readme_commands_exist() -> None:
    """Each `chiiki X` named in the README's command list is a real command."""
    top = set(_commands(_help()))
    named = {
        line.split()[1]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("chiiki ") and len(line.split()) > 1
    }
    assert named and named <= top, named - top
