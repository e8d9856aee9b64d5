"""`chiiki demo generate` and `chiiki factors run`, in-process through the root CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from chiiki.cli.main import invoke
from chiiki.factors.table import RECORD_KEYS

ENV = {"COLUMNS": "250"}
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
DRIFTED = ("観測打ち切り", "補正p値", "補正後p", "獲得", "検定不能", "判断保留")


def _demo(db: str, *extra: str) -> None:
    out = invoke(["demo", "generate", "--seed", "2", "--n", "60", "--db", db, *extra], env=ENV)
    assert out.exit_code == 0, out.output


def test_generate_then_run(db_url: str) -> None:
    out = invoke(["demo", "generate", "--seed", "2", "--n", "60", "--db", db_url], env=ENV)
    assert out.exit_code == 0, out.output
    assert "【合成データ】を書き込みました（乱数の種 2）: 採択 60件" in out.stdout
    assert "埋め込んだ効果: 事後評価S → 後継事業の採択、オッズ比 5" in out.stdout
    res = invoke(["factors", "run", "--json", "--db", db_url], env=ENV)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(out) == ["rows", "verdicts", "parameters", "data_hash"]
    assert [v["id"] for v in out["verdicts"]] == ["H1", "H2"]
    assert {"status", "reason", "numbers"} <= set(out["verdicts"][0])
    recs = out["rows"]
    assert recs and all(list(r) == [*RECORD_KEYS, "warnings_text"] for r in recs)
    adjusted = [r for r in recs if r["analysis"] == "adjusted"]
    assert adjusted and all(r["adjusted_for"] == ["program_family", "start_era"] for r in adjusted)
    assert all(r["adjusted_for"] == [] and r["clustering"] is None for r in recs if r["analysis"] == "crude")
    untestable = next(r for r in recs if r["estimate"] is None)
    assert untestable["warnings"][0]["code"].startswith("factors.") and JAPANESE.search(untestable["warnings_text"])
    en = json.loads(invoke(["--lang", "en", "factors", "run", "--json", "--db", db_url], env=ENV).stdout)["rows"]
    assert [r["warnings"] for r in en] == [r["warnings"] for r in recs]  # the data do not depend on the language
    assert not any(JAPANESE.search(r["warnings_text"]) for r in en)

    again = invoke(["demo", "generate", "--db", db_url], env=ENV)
    assert again.exit_code == 1 and "既に合成データの採択が60件あります" in again.stderr
    again = invoke(["--lang", "en", "demo", "generate", "--db", db_url], env=ENV)
    assert again.exit_code == 1 and "already holds 60 synthetic adoptions" in again.stderr


def test_english_output_has_no_japanese(db_url: str) -> None:
    _demo(db_url)
    res = invoke(["--lang", "en", "factors", "run", "--window", "4", "--cutoff", "2025", "--db", db_url], env=ENV)
    assert res.exit_code == 0, res.output
    assert "Key factors (successor adoption / regional continuation)" in res.stdout
    assert "Hypotheses" in res.stdout and "H1 [" in res.stdout and "Cut-off FY: 2025" in res.stdout
    assert "Final evaluation graded S" in res.stdout
    assert "Program family = DEMO_A" not in res.stdout  # program family is a stratum, not a factor
    assert not JAPANESE.search(res.output), JAPANESE.findall(res.output)[:10]


def test_japanese_output_uses_the_agreed_terms(db_url: str) -> None:
    _demo(db_url)
    res = invoke(["factors", "run", "--db", db_url], env=ENV)
    assert res.exit_code == 0, res.output
    for term in ("観察打ち切り年度", "調整済みp値", "後継事業の採択", "仮説の判定", "事後評価S"):
        assert term in res.stdout, term
    for term in DRIFTED:
        assert term not in res.output, term


def test_bundled_registry_in_english(bundled_db: str) -> None:
    """The real registry: mostly not testable; the reasons are in English too."""
    res = invoke(["--lang", "en", "factors", "run", "--db", bundled_db], env=ENV)
    assert res.exit_code == 0, res.output
    assert "[not testable]" in res.stdout and "Reason: " in res.stdout
    assert "the final evaluation grade is known for only 5 adoptions" in res.stderr
    assert not JAPANESE.search(res.output), JAPANESE.findall(res.output)[:10]
    ja = invoke(["factors", "run", "--db", bundled_db], env=ENV)
    assert "[検証不能]" in ja.stdout and not any(t in ja.output for t in DRIFTED)


def test_db_path_is_accepted(tmp_path: Path) -> None:
    """Regression: `factors run --db PATH` rejected a plain path that every other command takes."""
    db = tmp_path / "demo.db"
    _demo(str(db))
    for args in (["factors", "run", "--json", "--db", str(db)], ["--db", str(db), "factors", "run", "--json"]):
        res = invoke(args, env=ENV)
        assert res.exit_code == 0, res.output
        assert len(json.loads(res.stdout)) > 0


def test_demo_database_opens_in_other_commands(tmp_path: Path) -> None:
    """Regression: a `demo generate` database had no Alembic stamp, so `summary` failed on it."""
    db = str(tmp_path / "demo.db")
    _demo(db)
    res = invoke(["--lang", "en", "summary", "--db", db], env=ENV)
    assert res.exit_code == 0, res.output


def test_demo_needs_a_database(tmp_path: Path) -> None:
    res = invoke(["--lang", "en", "demo", "generate"], env={**ENV, "CHIIKI_HOME": str(tmp_path)})
    assert res.exit_code == 1 and "--db" in res.stderr
    assert not (tmp_path / "chiiki.db").exists()


def test_help_in_each_language() -> None:
    en = invoke(["--lang", "en", "factors", "run", "--help"], env=ENV)
    text = " ".join(en.output.split())
    assert en.exit_code == 0 and "within which a successor program counts" in text
    assert not JAPANESE.search(en.output)
    ja = " ".join(invoke(["factors", "run", "--help"], env=ENV).output.split())
    assert "後継事業とみなす" in ja and "観察打ち切り年度" in ja and "successor program counts" not in ja
    assert "合成データ" in invoke(["demo", "--help"], env=ENV).output
    assert "synthetic" in invoke(["--lang", "en", "demo", "--help"], env=ENV).output


def test_bad_lang() -> None:
    res = invoke(["--lang", "fr", "factors", "run", "--db", "sqlite://"], env=ENV)
    assert res.exit_code != 0


def test_console_script_smoke(tmp_path: Path) -> None:
    """The one subprocess test of this area: the installed entry point end to end."""
    db = str(tmp_path / "demo.db")
    _demo(db)
    cli = [sys.executable, "-m", "chiiki.cli.main"]
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    run = subprocess.run([*cli, "--lang", "en", "factors", "run", "--db", db], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "Hypotheses" in run.stdout and not JAPANESE.search(run.stdout + run.stderr)
