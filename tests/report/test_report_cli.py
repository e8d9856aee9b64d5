"""`chiiki report` end to end, in-process: the real engine on the bundled registry and hearings,
all formats, Japanese on SQLite and English on PostgreSQL (conftest.py builds both once).

The PDF must exist, have pages and embed IPAex Gothic; the verdicts and the data hash must be
the engine's; the English report may hold Japanese only where a data value does; the Japanese
one uses the catalogue's terms, never the drifted ones.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from chiiki.i18n import translator
from chiiki.report.labels import column_label
from chiiki.report.pdf import visible_text

JAPANESE_RUN = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f]+")
DRIFTED = ("観測打ち切り", "補正p値", "補正後p", "後継事業の獲得", "検定不能", "判断保留")


@pytest.fixture(scope="module", params=["ja", "en"])
def built(request, bundled_reports):
    return getattr(bundled_reports, request.param)


def _text(built) -> str:
    return visible_text((built.out / "report.html").read_text(encoding="utf-8"))


def test_cli_prints_the_three_paths(built) -> None:
    result = built.result
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.pdf", "report.xlsx"):
        assert str(built.out / name) in result.stdout
        assert (built.out / name).stat().st_size > 0
    # the summary line goes to standard error, in the invocation's language
    assert translator(built.lang).render(_written(built)) in result.stderr


def _written(built):
    from chiiki.i18n import msg

    return msg("report.written", "info", n=3, dir=str(built.out))


def test_pdf_has_pages_and_embeds_ipaex(built) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO((built.out / "report.pdf").read_bytes()))
    assert len(reader.pages) >= 10
    fonts = {
        str(f.get_object()["/BaseFont"]) for page in reader.pages for f in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("IPAex" in name for name in fonts)
    first = reader.pages[0].extract_text()
    assert ("調査報告書" if built.lang == "ja" else "survey report") in first


def test_real_engine_results_are_in_the_report(built) -> None:
    """The engine's data hash, its hypotheses and all 121 selections reach the report."""
    from chiiki.factors.verdicts import HYPOTHESES, STATUSES

    tr = translator(built.lang)
    html = (built.out / "report.html").read_text(encoding="utf-8")
    assert built.data_hash in html
    for hid in HYPOTHESES:
        assert tr.render({"code": f"factors.hypothesis.{hid}", "params": {}}) in html
    wb = openpyxl.load_workbook(built.out / "report.xlsx", read_only=True)
    sheet = list(wb[tr.gettext("Verdicts")].values)
    assert [r[0] for r in sheet[1:]] == list(HYPOTHESES)
    assert all(r[1] in STATUSES for r in sheet[1:])
    coverage = list(wb[tr.gettext("Coverage")].values)
    col = coverage[0].index(column_label("n_adoptions", tr))  # headers in the report's language
    assert sum(r[col] for r in coverage[1:]) == 121
    assert len(list(wb[tr.gettext("Outcomes")].values)) - 1 == 121


def test_english_report_has_no_japanese_outside_data_values(bundled_reports) -> None:
    """Every run of Japanese characters in the English report is part of a value the database
    holds (a program, region, title, organization name or a source URL) — none is interface."""
    built = bundled_reports.en
    text = _text(built)
    runs = set(JAPANESE_RUN.findall(text))
    assert runs, "the bundled data has Japanese names: they must appear"
    strays = sorted(r for r in runs if not any(r in s for s in built.data_strings))
    assert strays == []
    assert '<html lang="en">' in (built.out / "report.html").read_text(encoding="utf-8")
    # and the English report uses English prefecture names for the map table
    assert "Hokkaido" in text and "北海道</td>" not in (built.out / "report.html").read_text(encoding="utf-8")


def test_english_sheet_names_and_warnings(bundled_reports) -> None:
    built = bundled_reports.en
    names = openpyxl.load_workbook(built.out / "report.xlsx", read_only=True).sheetnames
    assert not any(JAPANESE_RUN.search(n) for n in names), names
    assert "warning:" in built.result.stderr  # the analysis warnings, in English
    assert "警告" not in built.result.stderr and "注意" not in built.result.stderr


def test_japanese_report_uses_the_catalogue_terms(bundled_reports) -> None:
    built = bundled_reports.ja
    text = _text(built)
    for bad in DRIFTED:
        assert bad not in text, bad
        assert bad not in built.result.output, bad
    for term in ("観察打ち切り年度", "調整済みp値", "後継事業の採択", "事後評価", "中間評価"):
        assert term in text, term
    names = openpyxl.load_workbook(built.out / "report.xlsx", read_only=True).sheetnames
    assert all(not re.search(r"[A-Za-z]", re.sub("Cox|QCA|KM", "", n)) for n in names), names


def test_data_hash_does_not_depend_on_the_backend(bundled_reports) -> None:
    assert bundled_reports.ja.data_hash == bundled_reports.en.data_hash


def test_same_numbers_on_sqlite_and_postgresql(bundled_reports) -> None:
    """The Japanese report (SQLite) and the English one (PostgreSQL when a server runs) hold the
    same key-factor numbers."""
    ja, en = bundled_reports.ja, bundled_reports.en

    def numbers(built):
        tr = translator(built.lang)
        rows = list(
            openpyxl.load_workbook(built.out / "report.xlsx", read_only=True)[tr.gettext("Key factor table")].values
        )
        header = rows[0]
        keys = ("factor", "outcome", "method", "estimate", "p_value", "p_adjusted", "n")
        keep = [header.index(column_label(c, tr)) for c in keys]
        return sorted(
            tuple(None if r[i] is None else (round(r[i], 9) if isinstance(r[i], float) else r[i]) for i in keep)
            for r in rows[1:]
        )

    assert numbers(ja) == numbers(en)
    assert len(numbers(ja)) > 20


def test_cli_rejects_unknown_language(bundled_reports, tmp_path) -> None:
    from chiiki.cli.main import invoke

    result = invoke(["report", "-o", str(tmp_path), "--lang", "fr", "--db", bundled_reports.ja.url], env={})
    assert result.exit_code == 2
    assert not (tmp_path / "report.html").exists()


def test_report_help_is_in_one_language() -> None:
    from chiiki.cli.main import invoke

    en = invoke(["--lang", "en", "report", "--help"], env={})
    ja = invoke(["report", "--help"], env={})
    assert en.exit_code == 0 and ja.exit_code == 0
    assert "--include-personal" in en.stdout and "--cutoff" in en.stdout
    assert not JAPANESE_RUN.search(en.stdout)
    assert "観察打ち切り年度" in ja.stdout
