"""build_report on the bundled registry with a hand-built analysis result (fast paths: no PDF).

The real engine and the PDF are exercised in test_cli.py; here we check what the report
shows and that the workbook holds the same values.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from sqlalchemy import func, select

from chiiki.model import Adoption, Program
from chiiki.model.db import session_scope
from chiiki.report import GlyphCoverageError, UnknownFormatError, build_report

from .fixtures import fake_analysis


@pytest.fixture(scope="module")
def built_ja(bundled_url, tmp_path_factory):
    """One Japanese HTML + XLSX build shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("ja")
    with session_scope(bundled_url) as session:
        ids = list(session.scalars(select(Adoption.id).order_by(Adoption.id)))
        return build_report(
            session,
            out,
            formats=("html", "xlsx"),
            analysis=fake_analysis(ids),
            extra_chapters=[("ヒアリング調査", "<p>鶴岡市の事例</p>")],
        )


SECTION_IDS = ("summary", "coverage", "timeline", "map", "factors", "survival", "qca", "verdicts", "adoptions", "repro")


def test_html_has_every_section_and_is_self_contained(built_ja) -> None:
    assert built_ja.pdf is None
    html = built_ja.html.read_text(encoding="utf-8")
    for sid in SECTION_IDS:
        assert f'id="{sid}"' in html
    assert "ヒアリング調査" in html and "鶴岡市の事例" in html
    assert "重要因子の推定" in html and "仮説の検証結果" in html
    # self-contained: no external stylesheet, script or image; every image is a data: URI
    assert "<link" not in html and "<script" not in html
    images = re.findall(r'<img src="([^"]*)"', html)
    assert len(images) >= 4 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "file://" not in html  # no path of this machine (the PDF embeds the font instead)


def test_numbers_trace_to_rows(session, built_ja) -> None:
    html = built_ja.html.read_text(encoding="utf-8")
    n_adoptions = session.scalar(select(func.count()).select_from(Adoption))
    n_programs = session.scalar(select(func.count()).select_from(Program))
    assert f"<td>{n_adoptions}</td>" in html and f"<td>{n_programs}</td>" in html
    # every selection is listed in the appendix with its source URL
    for adoption_id, urls in session.execute(select(Adoption.id, Adoption.source_urls)):
        assert f"<b>{adoption_id}</b>" in html
        first = urls.split("|")[0].strip()
        assert f'href="{first}"' in html.replace("&amp;", "&")
    # the untestable factor is listed apart with its reason, not plotted as a number
    assert "参画企業数" in html and "no data: n_companies empty everywhere" in html
    # verdict numbers are shown
    assert "仮説" in html and "判定できない(不確実)" in html and "4.2" in html
    # robustness of H1 (leave one family out, bootstrap) with its warning
    assert "事業系列を1つずつ除いた再推定" in html and "ブートストラップ" in html
    assert "bootstrap: 3 resamples without variation" in html


def test_english_report(session, analysis, tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    result = build_report(session, tmp_path, lang="en", formats=("html", "pdf"), analysis=analysis)
    html = result.html.read_text(encoding="utf-8")
    first_page = pypdf.PdfReader(result.pdf).pages[0].extract_text()
    assert "survey report" in first_page
    assert '<html lang="en">' in html
    assert "Key factors" in html and "Hypothesis verdicts" in html
    assert "Hubs graded S win a successor" in html and "inconclusive" in html
    assert "重要因子の推定" not in html


def test_xlsx_sheets_and_values(session, built_ja) -> None:
    wb = openpyxl.load_workbook(built_ja.xlsx, read_only=True)
    for name in (
        "収録状況",
        "重要因子",
        "成果",
        "除外",
        "真理表",
        "QCA解",
        "必要条件",
        "KM曲線",
        "仮説判定",
        "採択と出典",
        "パラメータ",
    ):
        assert name in wb.sheetnames
    rows = list(wb["採択と出典"].values)
    header = rows[0]
    assert len(rows) - 1 == session.scalar(select(func.count()).select_from(Adoption))
    assert "source_urls" in header
    factors = list(wb["重要因子"].values)
    col = factors[0].index("estimate")
    assert factors[1][col] == pytest.approx(4.2)
    assert factors[3][col] is None  # untestable: empty, never 0
    params = dict(list(wb["パラメータ"].values)[1:])
    assert params["data_hash"] == "0" * 64 and params["window"] == 5
    robust = list(wb["robustness"].values)
    assert robust[0][:2] == ("hypothesis", "left_out") and robust[2][1] == "KC"
    solutions = list(wb["QCA解"].values)
    assert ("parsimonious", 1, "S") in solutions


def test_engine_failure_still_writes_a_report_that_says_so(session, tmp_path) -> None:
    result = build_report(session, tmp_path, formats=("html",), params={"no_such_param": 1})
    html = result.html.read_text(encoding="utf-8")
    assert "統計分析は実行できませんでした" in html and "no_such_param" in html
    assert any("no_such_param" in w for w in result.warnings)
    assert 'id="timeline"' in html


def test_unknown_format_is_a_named_error(session, tmp_path) -> None:
    with pytest.raises(UnknownFormatError):
        build_report(session, tmp_path, formats=("docx",), analysis=object())


def test_tofu_is_refused_but_the_html_is_kept(session, analysis, tmp_path) -> None:
    """An extra chapter with an emoji (not in IPAex Gothic) stops the PDF, names the char."""
    with pytest.raises(GlyphCoverageError) as info:
        build_report(
            session,
            tmp_path,
            formats=("html", "pdf"),
            analysis=analysis,
            extra_chapters=[("ヒアリング", "<p>とても良い 👍</p>")],
        )
    assert info.value.missing == ["👍"]
    assert (tmp_path / "report.html").exists() and not (tmp_path / "report.pdf").exists()


def test_empty_database_gives_an_empty_report_not_a_crash(tmp_path) -> None:
    from chiiki.model import Base
    from chiiki.model.db import get_engine

    url = f"sqlite:///{tmp_path}/empty.db"
    Base.metadata.create_all(get_engine(url))
    with session_scope(url) as session:
        result = build_report(session, tmp_path / "out", formats=("html", "xlsx"))
    html = result.html.read_text(encoding="utf-8")
    assert "<td>0</td>" in html and 'id="repro"' in html
    wb = openpyxl.load_workbook(result.xlsx, read_only=True)
    assert len(list(wb["採択と出典"].values)) <= 1  # header only (or nothing)
