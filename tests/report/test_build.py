"""``build_report`` on the bundled registry with the engine's real analysis (no database here).

The report is pure: it renders a ``ReportInputs`` the Workbench gathered. These tests hand it the
frames and the ``FactorAnalysis`` of the bundled data (built once in conftest.py) and check what
it shows; the end-to-end runs through the CLI and the PDF are in test_report_cli.py.
"""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pandas as pd
import pytest

from chiiki.i18n import msg, translator
from chiiki.report import (
    CHAPTERS,
    GlyphCoverageError,
    ReportError,
    ReportInputs,
    UnknownFormatError,
    build_report,
)
from chiiki.report.inputs import empty_frames
from chiiki.report.pdf import visible_text


@pytest.fixture(scope="module")
def inputs(bundled_reports) -> ReportInputs:
    b = bundled_reports
    return ReportInputs(programs=b.programs, adoptions=b.adoptions, analysis=b.analysis, hearings=b.hearings)


@pytest.fixture(scope="module")
def built_ja(inputs, tmp_path_factory):
    """One Japanese HTML + XLSX build shared by the tests that only read it."""
    return build_report(inputs, tmp_path_factory.mktemp("ja"), "ja", ("html", "xlsx"))


SECTION_IDS = (
    "summary",
    "coverage",
    "timeline",
    "map",
    "methods",
    "factors",
    "sensitivity",
    "survival",
    "competing",
    "qca",
    "verdicts",
    "appendix",
    "repro",
)


def test_html_has_every_section_and_is_self_contained(built_ja) -> None:
    assert built_ja.pdf is None
    html = built_ja.html.read_text(encoding="utf-8")
    for sid in SECTION_IDS:
        assert f'id="{sid}"' in html
        assert f'href="#{sid}"' in html  # and in the contents
    assert "重要因子の推定" in html and "仮説の検証結果" in html
    # self-contained: no external stylesheet, script or image; every image is a data: URI
    assert "<link" not in html and "<script" not in html
    images = re.findall(r'<img[^>]* src="([^"]*)"', html)
    assert len(images) >= 4 and all(src.startswith("data:image/") for src in images)
    assert "file://" not in html  # no path of this machine (the PDF embeds the font instead)


def test_numbers_trace_to_rows(bundled_reports, built_ja) -> None:
    html = built_ja.html.read_text(encoding="utf-8").replace("&amp;", "&")
    adoptions = bundled_reports.adoptions
    assert f"<td>{len(adoptions)}</td>" in html and f"<td>{len(bundled_reports.programs)}</td>" in html
    # every selection is listed in the appendix with its source URL
    for adoption_id, urls in zip(adoptions["adoption_id"], adoptions["source_urls"], strict=True):
        assert f'<th scope="row">{adoption_id}</th>' in html
        assert f'href="{urls.split("|")[0].strip()}"' in html


def test_budgets_are_written_as_people_read_them(bundled_reports, built_ja) -> None:
    html = built_ja.html.read_text(encoding="utf-8")
    budgets = bundled_reports.adoptions["budget_total_million_yen"].dropna().astype(float)
    assert len(budgets) > 0
    tr = translator("ja")
    assert tr.yen_millions(float(budgets.sum())) in html  # e.g. 24億円
    for v in budgets:
        assert tr.yen_millions(v) in html  # 8.4億円 in the appendix line of that selection
    assert "億円" in html


def test_untestable_factors_are_listed_with_their_reason_in_japanese(bundled_reports, built_ja) -> None:
    """Per-row warnings come from the engine as messages; the Japanese report words them in
    Japanese (they used to be English inside the Japanese report). The table shows the primary
    rows (adjusted, the ones graded), so their reasons are the ones listed."""
    html = visible_text(built_ja.html.read_text(encoding="utf-8"))
    ja, en = translator("ja"), translator("en")
    kf = bundled_reports.analysis.key_factors
    kf = kf[kf["p_family"].notna()]
    untestable = kf[kf["estimate"].isna()]
    assert len(untestable) > 0
    checked = 0
    for warnings in untestable["warnings"]:
        for w in warnings:
            assert ja.render(w) in html
            if en.render(w) != ja.render(w):
                assert en.render(w) not in html
                checked += 1
    assert checked > 0
    assert "too few complete cases" not in html


def test_verdicts_are_worded_in_the_report_language(bundled_reports, built_ja) -> None:
    html = visible_text(built_ja.html.read_text(encoding="utf-8"))
    ja = translator("ja")
    for v in bundled_reports.analysis.verdicts:
        assert ja.render(v.statement) in html
        assert ja.render(v.reason) in html
        assert ja.render(v.status_message) in html


def test_xlsx_sheets_and_values(bundled_reports, built_ja) -> None:
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
        "感度分析",
        "累積発生率",
        "採択と出典",
    ):
        assert name in wb.sheetnames
    # Japanese only (method names such as Cox, QCA and KM are names, not English words)
    assert all(not re.search(r"[A-Za-z]", re.sub("Cox|QCA|KM", "", name)) for name in wb.sheetnames), wb.sheetnames
    rows = list(wb["採択と出典"].values)
    assert len(rows) - 1 == len(bundled_reports.adoptions)
    assert "出典" in rows[0]  # headers in the report's language (source_urls)
    kf = bundled_reports.analysis.key_factors
    sheet = list(wb["重要因子"].values)
    header = sheet[0]
    est = header.index("推定値")
    for i, value in enumerate(kf["estimate"]):
        if pd.isna(value):
            assert sheet[i + 1][est] is None  # untestable: empty, never 0
        elif value == float("inf"):
            assert sheet[i + 1][est] == "inf"  # a zero cell: infinite, and said so
        else:
            assert sheet[i + 1][est] == pytest.approx(float(value))
    # labels and warnings are text in the report's language, not message objects
    label = header.index("因子（表示名）")
    assert sheet[1][label] == translator("ja").render(kf["factor_label"].iloc[0])
    params = dict(list(wb["パラメータ"].values)[1:])
    assert params["data_hash"] == bundled_reports.analysis.data_hash
    assert params["successor_window_years"] == 5
    verdicts = list(wb["仮説判定"].values)
    assert [r[0] for r in verdicts[1:]] == [v.id for v in bundled_reports.analysis.verdicts]


def test_english_build_has_english_sheet_names(inputs, tmp_path) -> None:
    result = build_report(inputs, tmp_path, "en", ("xlsx",))
    assert result.html is None and result.pdf is None
    names = openpyxl.load_workbook(result.xlsx, read_only=True).sheetnames
    assert "Key factor table" in names and "Selections and sources" in names
    assert not any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names)


def test_no_analysis_still_writes_a_report_that_says_so(inputs, tmp_path) -> None:
    error = msg("report.no_analysis", "warning", detail="FactorsError: no adoptions")
    bare = dataclasses.replace(inputs, analysis=None, analysis_error=error, hearings=None)
    result = build_report(bare, tmp_path, "ja", ("html", "xlsx"))
    html = result.html.read_text(encoding="utf-8")
    assert "統計分析は実行できませんでした: FactorsError: no adoptions" in html
    assert result.warnings == [error]
    assert 'id="timeline"' in html and 'id="appendix"' in html


def test_chapters_are_the_callers_choice(inputs, tmp_path) -> None:
    chosen = ("summary", "coverage", "appendix", "repro")
    result = build_report(dataclasses.replace(inputs, chapters=chosen), tmp_path, "en", ("html",))
    html = result.html.read_text(encoding="utf-8")
    assert result.chapters == list(chosen)
    for sid in CHAPTERS:
        assert (f'id="{sid}"' in html) == (sid in chosen), sid
    assert "<img" not in html  # no chart drawn for a chapter left out


def test_unknown_format_and_chapter_are_named_errors(inputs, tmp_path) -> None:
    with pytest.raises(UnknownFormatError) as info:
        build_report(inputs, tmp_path, "ja", ("docx",))
    assert info.value.message.code == "report.unknown_format"
    assert "docx" in translator("en").render(info.value.message)
    with pytest.raises(ReportError) as info:
        build_report(dataclasses.replace(inputs, chapters=("summary", "glossary")), tmp_path, "ja", ("html",))
    assert info.value.message.code == "report.unknown_chapter"
    assert not (tmp_path / "report.html").exists()


def test_tofu_is_refused_but_the_html_is_kept(inputs, tmp_path) -> None:
    """A program name with an emoji (not in IPAex Gothic) stops the PDF and names the character."""
    programs = inputs.programs.copy()
    programs.loc[0, "name_ja"] = "とても良い事業 👍"
    bad = dataclasses.replace(inputs, programs=programs, analysis=None, hearings=None, chapters=("summary", "coverage"))
    with pytest.raises(GlyphCoverageError) as info:
        build_report(bad, tmp_path, "ja", ("html", "pdf"))
    assert info.value.missing == ["👍"]
    assert info.value.message.code == "report.glyphs_missing"
    assert (tmp_path / "report.html").exists() and not (tmp_path / "report.pdf").exists()


def test_empty_registry_gives_an_empty_report_not_a_crash(tmp_path) -> None:
    programs, adoptions = empty_frames()
    result = build_report(ReportInputs(programs=programs, adoptions=adoptions), tmp_path, "ja", ("html", "xlsx"))
    html = result.html.read_text(encoding="utf-8")
    assert "<td>0</td>" in html and 'id="repro"' in html
    wb = openpyxl.load_workbook(result.xlsx, read_only=True)
    rows = list(wb["採択と出典"].values)
    assert len(rows) == 2 and str(rows[1][0]).startswith("行なし")  # header and the note saying why


def test_hearings_chapter_is_rendered_by_its_own_renderer(bundled_reports, built_ja) -> None:
    if bundled_reports.hearings is None:
        pytest.skip("Workbench.hearings_chapter not in this build")
    from chiiki.report.sections_hearings import TITLE, render

    html = built_ja.html.read_text(encoding="utf-8")
    ja = translator("ja")
    assert 'id="hearings"' in html and ja.gettext(TITLE) in html
    body = render(bundled_reports.hearings, ja, heading=False)
    text = re.sub(r"<[^>]+>", " ", body)
    for word in [w for w in text.split() if len(w) > 3][:20]:
        assert word in html


def test_summary_leads_with_what_survives_adjustment_on_the_bundled_data(bundled_reports, inputs, tmp_path) -> None:
    """The summary's first finding is the primary rows graded strong or moderate (or, when there
    is none, the sentence that says so); program family is a stratum, never a key factor; the
    methods chapter states the participant-list counts and the event threshold of this run."""
    from chiiki.report import fmt

    analysis = bundled_reports.analysis
    result = build_report(inputs, tmp_path, "en", ("html",))
    text = visible_text(result.html.read_text(encoding="utf-8"))
    start = text.index("What survives adjustment")
    summary = text[start : text.index("Programs", start)]
    kf = analysis.key_factors
    assert not kf["factor"].str.startswith("program_family=").any()
    primary = kf[kf["p_family"].notna()]
    surviving = primary[primary["evidence"].isin(["strong", "moderate"])]
    en = translator("en")
    if surviving.empty:
        assert en.render(msg("report.survives_none", "info")) in summary
    else:
        assert en.render(msg("report.survives_none", "info")) not in summary
        for _, r in surviving.iterrows():
            assert (
                f"{en.render(r['factor_label'])} / {en.render(r['outcome_label'])}: {fmt.num(r['estimate'])}" in summary
            )
    p = analysis.participants
    assert f"complete for {p['complete']} selections, partial for {p['partial']} and missing for {p['none']}" in text
    assert f"at least {analysis.parameters['min_events']} selections in the smaller outcome class" in text
    assert 'id="sensitivity"' in result.html.read_text(encoding="utf-8")
