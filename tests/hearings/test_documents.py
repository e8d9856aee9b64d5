"""Documents as records: list, show, delete; one text is stored once; samples marked; .docx read
in document order and a .docx bomb refused.

Each test fails on the code before issue 9: there was no ``hearing documents`` command, no
content hash (the same transcript imported twice was two documents counted twice), sample
hearings were listed unmarked, .docx tables came after every paragraph, and a .docx went to
python-docx with no size check.
"""

from __future__ import annotations

import io
import json
import resource
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from chiiki.cli.main import invoke

SECRET = "ZZSECRET-個人名"
TRANSCRIPT = f"聞き手：今日はよろしくお願いします。\n{SECRET}：はい、連携の話をします。\n"


def _run(db: str, *args: str, code: int = 0, lang: str = "en", input: str | None = None):
    result = invoke(["--lang", lang, "--db", db, *args], env={"COLUMNS": "250"}, input=input)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


def _count(db: str, table: str) -> int:
    path = db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


@pytest.fixture
def base(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'd.db'}"
    _run(db, "db", "init", "--empty")
    _run(db, "hearing", "add", "--key", "h1", "--title", "Real visit", "--region", "鶴岡地域")
    _run(db, "hearing", "add", "--key", "demo", "--title", "Made up", "--region", "架空地域", "--sample")
    return db


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_documents_are_listed_shown_and_deleted_without_their_text(base: str, tmp_path: Path) -> None:
    t = _write(tmp_path, "t.txt", TRANSCRIPT)
    r = _write(tmp_path, "r.txt", "報告書の本文。連携について。")
    _run(base, "hearing", "import", str(t), "--hearing", "h1")
    _run(base, "hearing", "import", str(r), "--hearing", "demo", "--source-type", "report")
    _run(base, "code", "codebook", "add", "連携")
    _run(base, "code", "apply", "--doc", "1", "--code", "連携", "--search", "連携")
    listing = _run(base, "hearing", "documents", "--format", "csv").stdout
    assert SECRET not in listing and "連携の話" not in listing
    rows = pd.read_csv(io.StringIO(listing))
    assert list(rows["id"]) == [1, 2] and list(rows["hearing"]) == ["h1", "demo"]
    assert list(rows["file"]) == ["t.txt", "r.txt"] and list(rows["chars"]) == [len(TRANSCRIPT), 14]
    assert all(len(h) == 12 for h in rows["hash"]) and list(rows["personal"]) == [True, False]
    assert list(rows["sample"].fillna("")) == ["", "[sample]"]  # a document of a sample hearing
    table = _run(base, "hearing", "documents").stdout
    assert "[sample]" in table and SECRET not in table
    # show: metadata; the text of a transcript only for a user allowed to see personal data
    shown = json.loads(_run(base, "hearing", "documents", "show", "1").stdout)
    assert shown["text"] is None and shown["withheld"] and shown["segments"] == 1 and shown["hearing"] == "h1"
    assert SECRET not in json.dumps(shown, ensure_ascii=False)
    # the CLI user on their own file is allowed (the policy of chiiki.workbench.settings) when asking
    asked = json.loads(_run(base, "hearing", "documents", "show", "1", "--include-personal").stdout)
    assert asked["text"] == TRANSCRIPT and not asked["withheld"]
    from chiiki.workbench import Workbench
    from chiiki.workbench.errors import WorkbenchError

    with Workbench.open(base, lang="en", allow_personal=False) as web_guest:
        assert web_guest.document_detail(1).document["text"] is None
        with pytest.raises(WorkbenchError):
            web_guest.document_detail(1, include_personal=True)
    report = json.loads(_run(base, "hearing", "documents", "show", "2").stdout)
    assert report["text"] == "報告書の本文。連携について。" and report["sample"] == "[sample]"
    # delete: asks first; "no" keeps everything
    kept = _run(base, "hearing", "documents", "delete", "1", code=1, input="n\n")
    assert "Nothing deleted" in kept.stderr and _count(base, "documents") == 2
    done = _run(base, "hearing", "documents", "delete", "1", "--yes").stdout
    assert "Document 1 deleted, with 1 coded segments and 2 speaker turns" in done
    assert _count(base, "documents") == 1
    assert _count(base, "qda_segments") == 0 and _count(base, "hearing_speaker_turns") == 0
    missing = _run(base, "hearing", "documents", "delete", "1", "--yes", code=1)
    assert "Document 1 not found" in missing.stderr


def test_the_same_text_is_not_imported_twice(base: str, tmp_path: Path) -> None:
    utf8 = _write(tmp_path, "t.txt", TRANSCRIPT)
    # the same words saved by Windows: CP932 with CRLF line ends and a trailing blank line
    cp932 = _write(tmp_path, "t_sjis.txt", TRANSCRIPT.replace("\n", "\r\n") + "\r\n", encoding="cp932")
    _run(base, "hearing", "import", str(utf8), "--hearing", "h1")
    again = _run(base, "hearing", "import", str(cp932), "--hearing", "h1")  # same hearing: a no-op, exit 0
    assert "already document 1 (hearing h1): nothing imported" in again.stdout
    elsewhere = _run(base, "hearing", "import", str(utf8), "--hearing", "demo", code=1)
    assert "already document 1 (hearing h1)" in elsewhere.stderr and "not imported again" in elsewhere.stderr
    no_hearing = _run(base, "hearing", "import", str(utf8), code=1)
    assert "already document 1" in no_hearing.stderr
    assert SECRET not in elsewhere.stderr + no_hearing.stderr
    assert _count(base, "documents") == 1 and _count(base, "hearing_speaker_turns") == 2


def test_sample_hearings_are_marked_in_the_hearing_list(base: str) -> None:
    rows = pd.read_csv(io.StringIO(_run(base, "hearing", "list", "--format", "csv").stdout))
    assert list(rows["sample"].fillna("")) == ["", "[sample]"]
    assert list(rows["title"]) == ["Real visit", "[sample]Made up"]
    ja = _run(base, "hearing", "list", lang="ja").stdout
    assert "【サンプル】" in ja


def _docx_with_a_table_between(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("最初の段落")
    table = d.add_table(rows=2, cols=2)
    for i, row in enumerate(table.rows):
        row.cells[0].text, row.cells[1].text = f"項目{i}", f"値{i}"
    d.add_paragraph("最後の段落")
    d.save(str(path))


def test_docx_tables_are_read_where_they_stand(base: str, tmp_path: Path) -> None:
    pytest.importorskip("docx")
    from chiiki.hearings.importing import read_document_file

    p = tmp_path / "memo.docx"
    _docx_with_a_table_between(p)
    expected = "最初の段落\n項目0\t値0\n項目1\t値1\n最後の段落"  # before: the table after every paragraph
    assert read_document_file(p) == (expected, "docx")
    _run(base, "hearing", "import", str(p), "--hearing", "h1", "--source-type", "report")
    assert json.loads(_run(base, "hearing", "documents", "show", "1").stdout)["text"] == expected


def _bomb(path: Path, member: str, size: int = 1 << 30) -> None:
    """A zip whose one member inflates to ``size`` bytes of zeros (about 1 MB on disk for 1 GiB)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 24)
            for _ in range(size // len(chunk)):
                fh.write(chunk)


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    _bomb(p, "word/document.xml")
    assert p.stat().st_size < 2_000_000
    return p


def test_a_docx_bomb_is_refused_before_it_is_inflated(base: str, docx_bomb: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    refused = _run(base, "hearing", "import", str(docx_bomb), "--hearing", "h1", code=1)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "bomb.docx" in refused.stderr and "word/document.xml" in refused.stderr
    assert grown_mb < 200
    assert _count(base, "documents") == 0
