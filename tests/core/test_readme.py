"""The README's Python section runs as written (a CP932 file of a real export, SQLite)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def python_block() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_readme_python_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from chiiki import Workbench

    seed = Workbench.open(tmp_path / "seed.db")
    seed.init()
    buf = io.StringIO()
    seed.export_table("adoptions", "csv", out=buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    with (tmp_path / "採択一覧_sjis.csv").open("w", encoding="cp932", errors="replace", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[:3])
    monkeypatch.chdir(tmp_path)
    code = python_block().replace('wb.report("out/")', 'wb.report("out/", formats=("html",))')
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "out" / "report.html").exists()
    assert (tmp_path / "survey.db").exists()
    assert "取込完了" in capsys.readouterr().out


# --- every `chiiki …` command and option the README names exists in the CLI ---------------------------

GLOBAL_WITH_VALUE = {"--db", "--lang"}
ROLES = ("admin", "researcher", "coordinator", "expert", "viewer")


def readme_command_lines() -> list[str]:
    """Each `chiiki …` the README shows: lines of its code blocks (also after `$ ` or `.venv/bin/`)
    and inline code spans, without the trailing comment."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found: list[str] = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            m = re.match(r"\s*(?:\$\s+)?(?:\.venv/bin/)?chiiki\s+(.*)", line)
            if m:
                found.append(m.group(1).split("  #")[0].split(" # ")[0])
    for span in re.findall(r"`chiiki ([^`]+)`", text):
        found.append(span)
    return found


def resolve(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(the command path, the options on the line) of one README command line."""
    path: list[str] = []
    options: list[str] = []
    skip = False
    for tok in tokens:
        tok = tok.strip("[]")
        if skip:
            skip = False
        elif tok.startswith("--"):
            options.append(tok.split("=")[0])
            skip = tok in GLOBAL_WITH_VALUE and not path
        elif tok.startswith("-") or not tok:
            continue
        elif len(path) < 2 and re.fullmatch(r"[a-z][a-z-]*", tok):
            path.append(tok)
    return path, options


def test_every_command_and_option_the_readme_names_exists() -> None:
    from chiiki.cli.main import build

    missing: list[str] = []
    lines = readme_command_lines()
    assert any(line.startswith("serve") for line in lines), "the README documents `chiiki serve`"
    for line in lines:
        path, options = resolve(line.split())
        if not path:
            continue
        root = build([path[0]], {})
        cmd = root.commands.get(path[0])
        if cmd is None:
            missing.append(f"chiiki {path[0]}")
            continue
        chain = [root, cmd]
        if getattr(cmd, "commands", None) and len(path) > 1:
            sub = cmd.commands.get(path[1])
            if sub is None:
                missing.append(f"chiiki {path[0]} {path[1]}")
                continue
            chain.append(sub)
        known = {opt for c in chain for p in c.params for opt in [*p.opts, *p.secondary_opts]}
        missing += [f"chiiki {' '.join(path)} {o}" for o in options if o not in known]
    assert missing == [], f"the README names what the CLI does not have: {sorted(set(missing))}"


def test_readme_documents_the_web_workbench() -> None:
    """make run ends by serving; the server's settings and every role are named."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("**chiiki**")]
    assert head.index("make run") < head.index("make test")
    assert "sign-in link" in head and "Ctrl-C" in head
    for needle in ("CHIIKI_SECRET_KEY", "CHIIKI_SECURE_COOKIES=1", "CHIIKI_DB_URL", "docs/permissions.md"):
        assert needle in text, needle
    for role in ROLES:
        assert f"| `{role}` |" in text, role
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    run = makefile[makefile.index("\nrun:") :].split("\n\n")[0].splitlines()
    assert run[-1].strip() == "$(BIN)/chiiki serve", "make run ends by serving the web workbench"
    assert any("chiiki report" in line for line in run), "the report is still written before serving"


def test_options_named_in_the_web_workbench_section_exist() -> None:
    """Options the prose names (`--no-signin-link`, `--password-stdin` …) belong to `serve` or `users`."""
    from chiiki.cli.main import build

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Web workbench") : text.index("## Python")]
    named = set(re.findall(r"`(--[a-z-]+)`", section))
    assert {"--host", "--port", "--password-stdin"} <= named
    known: set[str] = set()
    for name in ("serve", "users"):
        cmd = build([name], {}).commands.get(name)
        assert cmd is not None, f"chiiki {name}"
        for c in [cmd, *getattr(cmd, "commands", {}).values()]:
            known |= {opt for p in c.params for opt in [*p.opts, *p.secondary_opts]}
    assert sorted(named - known) == []
