"""`chiiki report` end to end: the real factor engine on the bundled registry, all formats.

This is the integration test of the report with helper-1's engine (no hand-built result):
the PDF must exist, have pages and embed IPAex Gothic; the verdicts and the data hash must
be the engine's.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from chiiki.cli.report import report


@pytest.fixture(scope="module")
def cli_run(bundled_url, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    app = typer.Typer()
    app.command("report")(report)
    app.command("noop")(lambda: None)  # two commands: typer then keeps the sub-command name
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHIIKI_DB_URL", bundled_url)
        result = CliRunner().invoke(app, ["report", "-o", str(out), "--db", bundled_url])
    return result, out


def test_cli_prints_the_three_paths(cli_run) -> None:
    result, out = cli_run
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.pdf", "report.xlsx"):
        assert str(out / name) in result.output
        assert (out / name).stat().st_size > 0


def test_pdf_has_pages_and_embeds_ipaex(cli_run) -> None:
    pypdf = pytest.importorskip("pypdf")
    _result, out = cli_run
    reader = pypdf.PdfReader(io.BytesIO((out / "report.pdf").read_bytes()))
    assert len(reader.pages) >= 10
    fonts = {
        str(f.get_object()["/BaseFont"]) for page in reader.pages for f in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("IPAex" in name for name in fonts)
    text = reader.pages[0].extract_text()
    assert "調査報告書" in text


def test_real_engine_results_are_in_the_report(cli_run, bundled_url) -> None:
    """The engine's data hash, its hypotheses and all 121 selections reach the report."""
    from chiiki.factors.data import data_hash, load_analysis_data
    from chiiki.factors.verdicts import HYPOTHESES, STATUSES
    from chiiki.model.db import session_scope

    with session_scope(bundled_url) as session:
        expected_hash = data_hash(load_analysis_data(session))
    _result, out = cli_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert expected_hash in html
    for hypothesis in HYPOTHESES.values():
        assert hypothesis["ja"] in html
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    sheet = list(wb["仮説判定"].values)
    assert [r[0] for r in sheet[1:]] == list(HYPOTHESES)
    assert all(r[1] in STATUSES for r in sheet[1:])
    coverage = list(wb["収録状況"].values)
    col = coverage[0].index("n_adoptions")
    assert sum(r[col] for r in coverage[1:]) == 121
    outcomes = list(wb["成果"].values)
    assert len(outcomes) - 1 == 121


def test_cli_rejects_unknown_language(bundled_url, tmp_path) -> None:
    app = typer.Typer()
    app.command("report")(report)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["report", "-o", str(tmp_path), "--lang", "fr", "--db", bundled_url])
    assert result.exit_code == 2
    assert not (tmp_path / "report.html").exists()
