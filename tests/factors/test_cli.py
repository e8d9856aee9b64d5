"""`chiiki demo generate` and `chiiki factors run` as sub-apps (mounted by the lead)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from chiiki.cli.demo import app as demo_app
from chiiki.cli.factors import app as factors_app

runner = CliRunner()


def _root() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(demo_app, name="demo")
    root.add_typer(factors_app, name="factors")
    return root


def test_generate_then_run(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = runner.invoke(_root(), ["demo", "generate", "--seed", "2", "--n", "60", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "【合成データ】" in out.output and "adoptions=60" in out.output
    res = runner.invoke(_root(), ["factors", "run", "--json", "--db", f"sqlite:///{db}"])
    assert res.exit_code == 0, res.output
    recs = json.loads(res.stdout)
    assert recs and set(recs[0]) == {
        "factor",
        "outcome",
        "method",
        "estimate",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "n",
        "n_missing",
        "warnings",
    }
    again = runner.invoke(_root(), ["demo", "generate", "--db", str(db)])
    assert again.exit_code == 1 and "already holds" in again.output
    res = runner.invoke(
        _root(),
        ["factors", "run", "--lang", "en", "--window", "4", "--cutoff", "2025", "--db", f"sqlite:///{db}"],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 0, res.output
    assert "Hypotheses" in res.output and "H1" in res.output and "cutoff FY: 2025" in res.output


def test_help_is_bilingual() -> None:
    res = runner.invoke(_root(), ["factors", "run", "--help"], env={"COLUMNS": "250"})
    text = " ".join(res.output.split())
    assert res.exit_code == 0 and "後継事業" in text and "successor window" in text
    assert "合成データ" in runner.invoke(_root(), ["demo", "--help"]).output


def test_bad_lang() -> None:
    res = runner.invoke(_root(), ["factors", "run", "--lang", "fr", "--db", "sqlite://"])
    assert res.exit_code != 0
