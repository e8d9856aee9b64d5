"""``Workbench.report``: the policy around the report, on SQLite and PostgreSQL.

What the Workbench decides — what the report is made of, what a failed analysis does to it,
which errors the user sees, who may ask for personal data — checked on real databases.
"""

from __future__ import annotations

import json

import pytest

from chiiki import Settings, Workbench
from chiiki.i18n import msg, translator
from chiiki.workbench import WorkbenchError
from chiiki.workbench.report_api import ReportResult


def _json(result: ReportResult) -> dict:
    out = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert out["paths"]["html"] == str(result.html)
    return out


def test_empty_database_gives_a_report_that_serializes(db_url, tmp_path) -> None:
    wb = Workbench(Settings(db_url=db_url, lang="en"))
    wb.init(bundled=False)
    result = wb.report(tmp_path / "out", formats=("html", "xlsx"))
    out = _json(result)
    assert result.paths == [tmp_path / "out" / "report.html", tmp_path / "out" / "report.xlsx"]
    assert "hearings" not in result.chapters  # no hearing, no document: no hearings chapter
    assert out["chapters"][0] == "summary" and out["chapters"][-1] == "repro"
    assert all(set(w) == {"code", "params", "severity"} for w in out["warnings"])
    html = result.html.read_text(encoding="utf-8")
    assert "<td>0</td>" in html
    assert translator("en").render(result.message) == f"Report written (2 files) to {tmp_path / 'out'}"


def test_failed_analysis_still_writes_the_registry_chapters(db_url, tmp_path, monkeypatch) -> None:
    wb = Workbench(Settings(db_url=db_url, lang="ja"))
    wb.init(bundled=False)

    def broken(**_kw):
        raise WorkbenchError(msg("factors.unknown_parameter", "error", name="no_such_param"))

    monkeypatch.setattr(wb, "analyse", broken)
    result = wb.report(tmp_path, formats=("html",))
    assert result.warnings[0].code == "report.no_analysis"
    html = result.html.read_text(encoding="utf-8")
    assert translator("ja").render(result.warnings[0]) in html
    assert "no_such_param" in html and 'id="timeline"' in html
    _json(result)


def test_unknown_format_is_refused_before_anything_is_written(db_url, tmp_path) -> None:
    wb = Workbench(Settings(db_url=db_url, lang="en"))
    with pytest.raises(WorkbenchError) as info:
        wb.report(tmp_path / "out", formats=("html", "docx"))
    assert info.value.exit_code == 2 and info.value.message.code == "report.unknown_format"
    assert not (tmp_path / "out").exists()


def test_personal_data_only_for_who_may_see_it(db_url, tmp_path) -> None:
    wb = Workbench(Settings(db_url=db_url, lang="en", allow_personal=False, user="guest"))
    with pytest.raises(WorkbenchError) as info:
        wb.report(tmp_path / "out", include_personal=True)
    assert info.value.message.code == "workbench.personal_not_allowed"
    assert not (tmp_path / "out").exists()


def test_pdf_with_a_character_the_font_lacks_is_a_one_line_error(db_url, tmp_path) -> None:
    """The PDF is refused, the message names the character, the HTML is kept and said so."""
    from chiiki.model.db import session_scope
    from chiiki.model.registry import Program

    wb = Workbench(Settings(db_url=db_url, lang="en"))
    wb.init(bundled=False)
    with session_scope(db_url) as s:
        s.add(Program(id="EMOJI", name_ja="絵文字の事業 😀", name_en="Emoji program 😀"))
    with pytest.raises(WorkbenchError) as info:
        wb.report(tmp_path, formats=("html", "pdf"))
    assert info.value.message.code == "report.glyphs_missing"
    assert "U+1F600" in translator("en").render(info.value.message)
    assert [d.code for d in info.value.details] == ["report.html_kept"]
    assert (tmp_path / "report.html").exists() and not (tmp_path / "report.pdf").exists()


def test_report_of_a_generated_demo_database(db_url, tmp_path) -> None:
    """A `demo generate` database opens in the report (it used to lack its Alembic stamp), and
    the report holds the engine's verdicts on the synthetic registry."""
    import openpyxl

    from chiiki.factors.data import data_hash, load_analysis_data
    from chiiki.model.db import session_scope

    wb = Workbench(Settings(db_url=db_url, lang="en"))
    wb.generate_demo(seed=1, n=120)
    result = wb.report(tmp_path, formats=("html", "xlsx"))
    html = result.html.read_text(encoding="utf-8")
    with session_scope(db_url) as s:
        assert data_hash(load_analysis_data(s)) in html
    en = translator("en")
    book = openpyxl.load_workbook(result.xlsx, read_only=True)
    verdicts = list(book["Verdicts"].values)[1:]
    assert [v[0] for v in verdicts] == ["H1", "H2"]
    for hid, status, *_rest in verdicts:
        assert en.render(msg(f"factors.hypothesis.{hid}", "info")) in html
        assert en.render(msg(f"factors.status.{status}", "info")) in html
    assert len(list(book["Outcomes"].values)) - 1 == 120
    _json(result)


MARKER = "秘密マーカー語"
SPEAKER = "鈴木一郎"


def test_personal_transcript_leaves_no_trace_in_the_report(db_url, tmp_path) -> None:
    """A transcript flagged as personal, coded: its text and its speaker's name are in no file of
    the report made without --include-personal; the report says the document was left out, and
    counts it only when personal data is asked for (and allowed)."""
    wb = Workbench(Settings(db_url=db_url, lang="ja"))
    wb.init(bundled=False)
    wb.add_hearing("H-T", "テスト", region="山形県", interviewees=[SPEAKER])
    path = tmp_path / "t.txt"
    lines = [f"{SPEAKER}（A大学）：{MARKER}について話します。地域の産学連携が大切です。", "聞き手：産学連携の課題は。"]
    path.write_text("\n".join(lines * 3), encoding="utf-8")
    doc = wb.import_document(path, hearing="H-T").data["id"]
    wb.codebook_add("産学連携")
    wb.apply_code(doc, "産学連携", search=MARKER)

    withheld = wb.report(tmp_path / "plain", formats=("html", "xlsx"))
    assert "hearings" in withheld.chapters
    assert "text.personal_left_out" in [w.code for w in withheld.warnings]
    for blob in (withheld.html.read_text(encoding="utf-8"), _xlsx_text(withheld.xlsx)):
        assert MARKER not in blob and SPEAKER not in blob

    shown = wb.report(tmp_path / "personal", formats=("html",), include_personal=True)
    assert shown.include_personal and "text.personal_left_out" not in [w.code for w in shown.warnings]
    from chiiki.report.sections_hearings import N_DOCS

    n_docs = translator("ja").gettext(N_DOCS)  # the chapter states how many documents it analysed
    assert n_docs.format(n=0) in withheld.html.read_text(encoding="utf-8")
    assert n_docs.format(n=1) in shown.html.read_text(encoding="utf-8")


def _xlsx_text(path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.values for c in row if c is not None)
