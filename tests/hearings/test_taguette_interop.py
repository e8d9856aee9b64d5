"""Interop with Taguette (from PyPI): our codebook through Taguette's own import and export code.

Taguette is not a dependency of chiiki: a session fixture installs it from PyPI into a throwaway
virtual environment under pytest's temporary directory, and ``data/taguette_roundtrip.py`` runs
Taguette's database models, codebook import (``import_codebook.list_tags``) and codebook exports
(``export.codebook_csv`` / ``codebook_xml``) there, in a subprocess. Without a network the test
is skipped — unless ``CI`` is set, where it must run.

Fails on the code before issue 9: ``codebook export x.csv`` wrote REFI XML (Taguette: "No 'tag',
'name', or 'path' column"), ``codebook list --format csv`` carries both ``name`` and ``path``
(Taguette: "Not sure which column to use"), there was no CSV codebook import, and Taguette's
``.qdc`` was refused for its empty ``<Sets/>``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chiiki.cli.main import invoke

ROUNDTRIP = Path(__file__).parent / "data" / "taguette_roundtrip.py"


def _run(db: str, *args: str, code: int = 0, lang: str = "en"):
    result = invoke(["--lang", lang, "--db", db, *args], env={})
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="session")
def taguette_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh venv with Taguette from PyPI (skipped offline unless CI is set)."""
    venv = tmp_path_factory.mktemp("taguette-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "taguette"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if install.returncode != 0:
        reason = f"cannot install taguette from PyPI: {install.stderr.strip().splitlines()[-1:]}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return python


def _taguette(python: Path, codebook: Path, out: Path) -> dict:
    done = subprocess.run(
        [str(python), str(ROUNDTRIP), str(codebook), str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _paths(db: str) -> dict[str, str]:
    """Code path → description, as the codebook listing gives them (its formula escape undone)."""
    from chiiki.ingest.formulas import unescape_cell

    rows = csv.DictReader(io.StringIO(_run(db, "code", "codebook", "list", "--format", "csv").stdout))
    return {str(unescape_cell(r["path"])): r["description"] for r in rows}


def test_a_codebook_round_trips_through_taguettes_own_import_and_export(taguette_python: Path, tmp_path: Path) -> None:
    ours = str(tmp_path / "ours.db")
    _run(ours, "db", "init", "--empty")
    _run(ours, "code", "codebook", "load-default")
    _run(ours, "code", "codebook", "add", "連携, 協力", "--parent", "体制・事業化", "--description", "改行\nと, カンマ")
    _run(ours, "code", "codebook", "add", "=SUM(1)", "--description", "a formula-like name")
    original = _paths(ours)
    assert len(original) == 16
    exported = tmp_path / "codebook.csv"
    _run(ours, "code", "codebook", "export", str(exported))

    summary = _taguette(taguette_python, exported, tmp_path / "taguette")
    stored = {t["path"]: t["description"] for t in summary["stored"]}
    # Taguette took every code with its description; a formula-like cell arrives as text ('=…)
    assert stored.pop("'=SUM(1)") == "a formula-like name"
    expected = {p: d for p, d in original.items() if p != "=SUM(1)"}
    assert stored == expected

    from_csv = str(tmp_path / "from_csv.db")
    _run(from_csv, "db", "init", "--empty")
    _run(from_csv, "code", "import-codebook", str(tmp_path / "taguette" / "taguette_codebook.csv"))
    assert _paths(from_csv) == original  # hierarchy and descriptions back, the escape undone

    from_qdc = str(tmp_path / "from_qdc.db")
    _run(from_qdc, "db", "init", "--empty")
    result = _run(from_qdc, "code", "codebook", "import", str(tmp_path / "taguette" / "taguette_codebook.qdc"))
    assert "16 codes imported" in result.stdout
    assert "empty <Sets/>" in result.stderr and "taguette_codebook.qdc, line" in result.stderr
    # Taguette's .qdc has no descriptions: the code tree comes back, with the path names
    assert set(_paths(from_qdc)) == {p if p != "=SUM(1)" else "'=SUM(1)" for p in original}
