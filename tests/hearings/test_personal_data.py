"""The one personal-data rule, end to end (issue 7, item 5).

A transcript flagged as personal, carrying a marker string and the names the hearing records know,
is coded and mined; every output made without ``include_personal`` — segment tables and files,
``code segments --format csv``, KWIC and frequency files, the network in every format, the CA
coordinates and map, the ``.qdpx`` project, the hearings chapter and the standalone report — is
searched for the marker and the names. With ``include_personal=True`` they come back. A second
transcript, imported *without* the flag, names the interviewee often enough to be drawn in the
report's network: masking must keep the name out of the figure's node labels.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from chiiki import Settings, Workbench, WorkbenchError
from chiiki.cli.main import invoke
from chiiki.i18n import translator
from chiiki.report.sections_hearings import render

MARKER = "ZZMARKER-SECRET"
NAMES = ("山田", "太郎", "佐藤", "花子")
TRANSCRIPT = (
    "聞き手：事業終了後の資金はどのように確保されましたか。\n"
    f"山田太郎：市と県の補助金で研究所の運営を続けています。{MARKER} の件は内密に。\n"
    "聞き手：人材育成はいかがですか。\n"
    "山田太郎：コーディネーターが企業の相談を大学につないでいます。補助金の申請は佐藤花子さんと進めました。\n"
)
# Not flagged (imported with --no-personal), but it names the interviewee in every sentence.
UNFLAGGED = "".join(f"山田太郎さんは補助金と人材育成について語った{i}。\n" for i in range(6))


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    found = [n for n in NAMES if n in text]
    if "zzmarker" in lowered or "secret" in lowered:
        found.append(MARKER)
    return found


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def coded(loaded: str, tmp_path: Path) -> dict:
    """The bundled hearings, a hearing with an interviewee and an interviewer, the flagged
    transcript (a real CP932 file), an unflagged one, coded and ready to mine."""
    wb = Workbench(Settings(db_url=loaded, lang="ja"))
    wb.add_hearing(
        "2025-01-test",
        "試行ヒアリング",
        region="試行地域",
        date="2025-01",
        interviewers="佐藤花子",
        interviewees=["山田太郎:テスト株式会社"],
        organizations=["テスト株式会社:company"],
    )
    path = tmp_path / "transcript_cp932.txt"
    path.write_bytes(TRANSCRIPT.replace("\n", "\r\n").encode("cp932"))
    flagged = wb.import_document(path, hearing="2025-01-test")
    assert flagged.data["contains_personal_data"] and flagged.data["encoding"] == "cp932"
    other = tmp_path / "unflagged.txt"
    other.write_text(UNFLAGGED, encoding="utf-8")
    unflagged = wb.import_document(other, source_type="report", personal=False, hearing="2025-01-test")
    wb.codebook_add("資金")
    t_id, u_id = flagged.data["id"], unflagged.data["id"]
    wb.apply_code(t_id, "資金", search="補助金", memo="山田太郎の発言")
    wb.apply_code(t_id, "資金", search=MARKER)
    wb.apply_code(u_id, "資金", search="山田太郎さんは補助金", occurrence=1, memo="佐藤花子のメモ")
    wb.apply_code(2, "資金", search="補助金")  # a bundled, non-personal document
    return {"url": loaded, "transcript": t_id, "unflagged": u_id}


def _outputs(wb: Workbench, tmp_path: Path, include_personal: bool) -> dict[str, str]:
    """Every output of the tool, as text (PNG figures: the labels they draw)."""
    out = tmp_path / ("with" if include_personal else "without")
    out.mkdir()
    ip = include_personal
    texts: dict[str, str] = {}
    texts["segments"] = json.dumps(wb.segments("資金", include_personal=ip).to_dict(), ensure_ascii=False)
    wb.export_segments(out / "seg.csv", include_personal=ip)
    texts["seg.csv"] = (out / "seg.csv").read_text(encoding="utf-8-sig")
    wb.export_segments(out / "seg.xlsx", include_personal=ip)
    texts["seg.xlsx"] = _xlsx_text(out / "seg.xlsx")
    args = ["--db", wb.settings.db_url, "code", "segments", "資金", "--format", "csv"]
    cli = invoke(args + (["--include-personal"] if ip else []), env={})
    assert cli.exit_code == 0, cli.output
    texts["code segments --format csv"] = cli.stdout
    for term in ("補助金", "山田", "ZZMARKER"):
        path = out / f"kwic-{term}.csv"
        table = wb.text_kwic(term, match="substring", out=path, include_personal=ip)
        # the rows only: the title repeats the caller's own search term
        texts[f"kwic {term}"] = path.read_text(encoding="utf-8-sig") + json.dumps(
            table.to_dict()["rows"], ensure_ascii=False
        )
    freq = wb.text_freq(None, out=out / "freq.csv", include_personal=ip)
    texts["freq.csv"] = (out / "freq.csv").read_text(encoding="utf-8-sig")
    texts["freq"] = json.dumps(freq.to_dict(), ensure_ascii=False)
    for ext in ("png", "svg", "html", "graphml", "csv"):
        net = wb.text_network(out=out / f"net.{ext}", unit="sentence", min_df=1, top_n=2000, include_personal=ip)
        if ext == "png":  # the PNG's words are the labels drawn at the nodes
            texts["net.png labels"] = " ".join(net.labels)
        else:
            texts[f"net.{ext}"] = (out / f"net.{ext}").read_text(encoding="utf-8-sig")
    ca = wb.text_ca("region", out=out / "ca.png", csv=out / "ca.csv", min_df=1, top_n=500, include_personal=ip)
    texts["ca.png labels"] = " ".join(ca.labels)
    texts["ca.csv"] = (out / "ca.csv").read_text(encoding="utf-8-sig")
    wb.export_qdpx(out / "p.qdpx", include_personal=ip)
    texts["qdpx"] = _zip_text(out / "p.qdpx")
    chapter = wb.hearings_chapter(include_personal=ip)
    texts["chapter html"] = render(chapter, translator("ja"))
    texts["chapter figure labels"] = " ".join(label for f in chapter.figures for label in f.labels)
    texts["chapter json"] = json.dumps(chapter.to_dict(), ensure_ascii=False)
    wb.text_report(out / "text_report.html", include_personal=ip)
    texts["text_report.html"] = (out / "text_report.html").read_text(encoding="utf-8")
    texts["hearing show"] = json.dumps(wb.hearing_detail("2025-01-test", ip).to_dict(), ensure_ascii=False)
    texts["matrix by document"] = json.dumps(wb.code_matrix(by="document", include_personal=ip).to_dict())
    return texts


def test_nothing_personal_leaves_without_the_switch(coded: dict, tmp_path: Path) -> None:
    wb = Workbench(Settings(db_url=coded["url"], lang="ja"))
    texts = _outputs(wb, tmp_path, include_personal=False)
    leaks = {name: _leaks(text) for name, text in texts.items() if _leaks(text)}
    assert leaks == {}
    # the outputs are not empty: the rule withholds what it must, not everything
    assert "補助金" in texts["seg.csv"] and "補助金" in texts["freq.csv"] and "P1" in texts["kwic 補助金"]
    segs = wb.segments("資金").to_dict()
    withheld = [r for r in segs["rows"] if r["withheld"]]
    assert {r["document_id"] for r in withheld} == {coded["transcript"]}
    assert all(r["text"] is None and r["before"] is None for r in withheld)
    assert [w["code"] for w in segs["warnings"]] == ["workbench.personal_withheld"]
    shown = next(r for r in segs["rows"] if r["document_id"] == coded["unflagged"])
    assert shown["text"] == "P1さんは補助金" and shown["memo"] == "I1のメモ"


def test_everything_comes_back_with_the_switch(coded: dict, tmp_path: Path) -> None:
    wb = Workbench(Settings(db_url=coded["url"], lang="ja"))
    texts = _outputs(wb, tmp_path, include_personal=True)
    for name in ("segments", "seg.csv", "seg.xlsx", "code segments --format csv", "qdpx"):
        assert MARKER in texts[name], name
    for name in ("kwic ZZMARKER", "freq.csv", "net.png labels", "net.graphml", "ca.csv"):
        assert "zzmarker" in texts[name].lower(), name
    for name in ("segments", "seg.csv", "kwic 山田", "freq.csv", "net.png labels", "net.html", "qdpx", "hearing show"):
        assert "山田" in texts[name], name
    assert "佐藤花子" in texts["hearing show"]
    chapter = wb.hearings_chapter(include_personal=True)
    assert not [m for m in chapter.messages if m.code == "text.personal_left_out"]


def test_the_reports_network_no_longer_shows_the_interviewees_name(coded: dict) -> None:
    """Regression: the chapter's network drew the speakers' and interviewees' names."""
    wb = Workbench(Settings(db_url=coded["url"], lang="ja"))
    plain = {f.kind: f for f in wb.hearings_chapter().figures}
    named = {f.kind: f for f in wb.hearings_chapter(include_personal=True).figures}
    assert plain["network"].data and named["network"].data
    assert "山田" in named["network"].labels  # the unflagged transcript names him in every sentence
    assert not [x for x in plain["network"].labels + plain["ca"].labels if _leaks(x)]


def test_export_segments_withholds_what_code_segments_withholds(coded: dict, tmp_path: Path) -> None:
    """Regression: `code export-segments` wrote transcript text that `code segments` withheld."""
    db = coded["url"]
    res = invoke(["--db", db, "code", "export-segments", str(tmp_path / "s.csv")], env={})
    assert res.exit_code == 0, res.output
    exported = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    listed = invoke(["--db", db, "code", "segments", "資金", "--format", "csv"], env={}).stdout
    assert MARKER not in exported and MARKER not in listed
    assert "山田太郎の発言" not in exported  # the memo of a personal segment is withheld too
    assert "personal data" in res.stderr or "個人情報" in res.stderr


def test_qdpx_round_trip_keeps_the_flag(coded: dict, tmp_path: Path) -> None:
    """Regression: a .qdpx import dropped the flag, so the transcript's text came out again."""
    wb = Workbench(Settings(db_url=coded["url"]))
    wb.export_qdpx(tmp_path / "all.qdpx", include_personal=True)
    fresh = Workbench.open(tmp_path / "fresh.db")
    fresh.init(bundled=False)
    done = fresh.import_qdpx(tmp_path / "all.qdpx")
    assert done.counts["segments"] == wb.segments("資金").n == 5  # 補助金 ×2 + marker, unflagged, bundled
    rows = fresh.segments("資金").rows
    flags = {r["document"]: r["personal"] for r in rows}
    assert flags["transcript_cp932"] is True and flags["unflagged"] is False
    assert all(r["withheld"] == r["personal"] for r in rows)
    again = tmp_path / "again.qdpx"
    fresh.export_qdpx(again)
    assert MARKER not in _zip_text(again)
    assert MARKER in json.dumps(fresh.segments("資金", include_personal=True).to_dict(), ensure_ascii=False)
    fresh.close()


def test_a_caller_who_may_not_see_personal_data_is_refused(coded: dict, tmp_path: Path) -> None:
    viewer = Workbench(Settings(db_url=coded["url"], allow_personal=False, user="guest"))
    for call in (
        lambda: viewer.segments("資金", include_personal=True),
        lambda: viewer.export_segments(tmp_path / "x.csv", include_personal=True),
        lambda: viewer.export_qdpx(tmp_path / "x.qdpx", include_personal=True),
        lambda: viewer.text_freq(include_personal=True),
        lambda: viewer.hearings_chapter(include_personal=True),
        lambda: viewer.hearing_detail("2025-01-test", include_personal=True),
    ):
        with pytest.raises(WorkbenchError) as info:
            call()
        assert info.value.message.code == "workbench.personal_not_allowed"
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.qdpx").exists()
    assert viewer.segments("資金").n == 5  # without the switch the viewer gets the redacted table


def test_a_debug_traceback_carries_no_document_text(coded: dict, tmp_path: Path) -> None:
    """CHIIKI_DEBUG=1 shows the traceback: neither the failing file's text nor the database's
    may be in it (exception messages hold ids, offsets and option values only)."""
    import traceback

    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr(
            "project.qde",
            '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
            '<TextSource guid="00000000-0000-0000-0000-000000000001" name="t">'
            f'<PlainTextSelection guid="00000000-0000-0000-0000-000000000002" name="{MARKER}" '
            f'startPosition="{MARKER}" endPosition="3"/></TextSource></Sources></Project>',
        )
    db = coded["url"]
    failures = [
        ["code", "import-qdpx", str(bad)],
        ["code", "apply", "--doc", str(coded["transcript"]), "--code", "資金", "--start", "0", "--end", "99999"],
        ["code", "apply", "--doc", str(coded["transcript"]), "--code", "資金", "--search", "存在しない語"],
        [
            "code",
            "apply",
            "--doc",
            str(coded["transcript"]),
            "--code",
            "資金",
            "--search",
            "補助金",
            "--occurrence",
            "9",
        ],
    ]
    for args in failures:
        with pytest.raises(Exception) as info:  # noqa: B017,PT011 - whatever the class, its text is checked
            invoke(["--db", db, *args], env={"CHIIKI_DEBUG": "1"})
        text = "".join(traceback.format_exception(info.value))
        assert not _leaks(text), args
        assert "補助金で研究所" not in text and "内密" not in text
        plain = invoke(["--lang", "en", "--db", db, *args], env={})
        assert plain.exit_code == 1 and "Traceback" not in plain.stderr and MARKER not in plain.stderr
