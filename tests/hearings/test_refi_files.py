"""REFI-QDA and codebook files as other tools write them, and as attackers do.

Each test fails on the code before issue 9: Taguette's real ``.qdc`` was refused (its empty
``<Sets/>``), schema errors gave no file or line, there was no CSV codebook import, a selection
outside its source was skipped with a warning while the rest was imported, the default ``.qdpx``
export did not count the coded segments it left out nor mark samples, and a ``.qdpx`` bomb went
to ``zipfile.read`` unchecked.
"""

from __future__ import annotations

import resource
import sqlite3
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from chiiki.cli.main import invoke

DATA = Path(__file__).parent / "data"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _run(db: str, *args: str, code: int = 0, lang: str = "en"):
    result = invoke(["--lang", lang, "--db", db, *args], env={"COLUMNS": "250"})
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


def _count(db: str, table: str) -> int:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _codes(db: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return conn.execute(
            "SELECT c.name, p.name FROM qda_codes c LEFT JOIN qda_codes p ON p.id = c.parent_id ORDER BY c.id"
        ).fetchall()


@pytest.fixture
def empty(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'e.db'}"
    _run(db, "db", "init", "--empty")
    return db


def test_taguettes_own_qdc_is_accepted_with_a_warning(empty: str) -> None:
    result = _run(empty, "code", "codebook", "import", str(DATA / "taguette-1.5.2-codebook.qdc"))
    assert "15 codes imported" in result.stdout
    assert result.stderr.count("\n") == 1  # one warning line, not a schema dump
    assert "taguette-1.5.2-codebook.qdc, line 2: an empty <Sets/>" in result.stderr
    codes = _codes(empty)
    assert ("体制・事業化", None) in codes and ("研究開発体制", "体制・事業化") in codes  # "A > B" is B under A


def test_a_real_schema_error_is_one_line_with_file_line_and_reason(empty: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n'
        b'<Code name="no guid" isCodable="true"/>\n</Codes>\n</CodeBook>\n'
    )
    result = _run(empty, "code", "codebook", "import", str(bad), code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "bad.qdc, line 4" in lines[0] and "guid" in lines[0] and "/CodeBook/Codes/Code" in lines[0]
    assert _count(empty, "qda_codes") == 0


def test_a_cp932_codebook_csv_with_a_title_row_is_imported(empty: str, tmp_path: Path) -> None:
    p = tmp_path / "codebook.csv"
    p.write_bytes(
        "コードブック（2024年度）\r\n"
        "コード,親コード,説明,色\r\n"
        "人材,,人に関すること,#2CA02C\r\n"
        "コーディネーター,人材,調整役,\r\n"
        "'=資金,,,\r\n".encode("cp932")
    )
    result = _run(empty, "code", "import-codebook", str(p))
    assert "3 codes imported" in result.stdout
    assert _codes(empty) == [("人材", None), ("コーディネーター", "人材"), ("=資金", None)]


def test_our_old_codebook_listing_csv_is_read_too(empty: str, tmp_path: Path) -> None:
    _run(empty, "code", "codebook", "load-default")
    listing = tmp_path / "list.csv"
    listing.write_text(_run(empty, "code", "codebook", "list", "--format", "csv").stdout, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'o.db'}"
    _run(other, "db", "init", "--empty")
    _run(other, "code", "codebook", "import", str(listing))  # both name and path: the path is used
    assert _codes(other) == _codes(empty)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("path,description\r\n人材,x\r\n,empty\r\n", "codebook.csv, row 3, column path: the code path is empty"),
        ("tag,description\r\n人材,x\r\n人材,y\r\n", "row 3, column tag: this code path was already given in row 2"),
        ("path\r\nA > 人材\r\nB > 人材\r\n", "row 3, column path: code '人材' already has another place in row 2"),
        ("path,color\r\n人材,red\r\n", "row 2, column color: 'red' is not a colour #RRGGBB"),
        ("label,description\r\n人材,x\r\n", "codebook.csv: no code column (path, tag or name)"),
    ],
)
def test_a_bad_codebook_csv_names_file_row_and_column_and_stores_nothing(
    empty: str, tmp_path: Path, body: str, expected: str
) -> None:
    p = tmp_path / "codebook.csv"
    p.write_text(body, encoding="utf-8")
    result = _run(empty, "code", "import-codebook", str(p), code=1)
    assert expected in result.stderr
    assert _count(empty, "qda_codes") == 0


@pytest.fixture
def project(tmp_path: Path) -> tuple[str, Path]:
    """A project with a report (coded twice), a transcript (coded once) and a sample report."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    _run(db, "db", "init", "--empty")
    _run(db, "hearing", "add", "--key", "h1", "--title", "Visit")
    texts = {
        "r.txt": "地域の連携について述べる。連携は大事。",
        "t.txt": "A：連携の話。\nB：はい。\n",
        "s.txt": "架空の連携。",
    }
    for name, body in texts.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    _run(db, "hearing", "import", str(tmp_path / "r.txt"), "--hearing", "h1", "--source-type", "report")
    _run(db, "hearing", "import", str(tmp_path / "t.txt"), "--hearing", "h1")
    _run(db, "hearing", "import", str(tmp_path / "s.txt"), "--source-type", "report", "--sample")
    _run(db, "code", "codebook", "add", "連携")
    for doc in ("1", "2", "3"):
        _run(db, "code", "apply", "--doc", doc, "--code", "連携", "--search", "連携", "--occurrence", "1")
    _run(db, "code", "apply", "--doc", "1", "--code", "連携", "--search", "連携", "--occurrence", "2")
    return db, tmp_path


def test_the_default_qdpx_carries_codes_and_segments_and_says_what_it_left_out(project: tuple[str, Path]) -> None:
    db, tmp = project
    out = tmp / "p.qdpx"
    result = _run(db, "code", "export-qdpx", str(out))
    assert "2 sources with 3 coded selections" in result.stdout
    assert "1 document holding personal data left out, with its 1 coded segments" in result.stderr
    assert "1 source is a made-up sample" in result.stderr
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("project.qde"))
    assert [c.get("name") for c in root.iterfind(".//q:CodeBook//q:Code", NS)] == ["連携"]
    names = [s.get("name") for s in root.iterfind(".//q:TextSource", NS)]
    assert names == ["r", "【サンプル】s"]
    sample_var = next(v.get("guid") for v in root.iterfind(".//q:Variable", NS) if v.get("name") == "chiiki:is_sample")
    flags = [
        vv.findtext("q:BooleanValue", namespaces=NS)
        for vv in root.iterfind(".//q:VariableValue", NS)
        if vv.find("q:VariableRef", NS).get("targetGUID") == sample_var
    ]
    assert flags == ["false", "true"]


def test_a_selection_outside_its_source_refuses_the_project(project: tuple[str, Path], tmp_path: Path) -> None:
    db, tmp = project
    good = tmp / "p.qdpx"
    _run(db, "code", "export-qdpx", str(good))
    with zipfile.ZipFile(good) as z:
        members = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(members["project.qde"])
    selection = root.find(".//q:PlainTextSelection", NS)
    guid = selection.get("guid")
    selection.set("endPosition", "9999")
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    bad = tmp / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    _run(other, "db", "init", "--empty")
    result = _run(other, "code", "import-qdpx", str(bad), code=1)
    assert f"selection {guid}" in result.stderr and "bad.qdpx" in result.stderr and "(0..19)" in result.stderr
    assert _count(other, "documents") == 0 and _count(other, "qda_segments") == 0  # nothing imported


def test_a_qdpx_bomb_is_refused_before_it_is_inflated(empty: str, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("project.qde", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 24)
            for _ in range(64):  # 1 GiB of blanks, about 1 MB on disk
                fh.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = _run(empty, "code", "import-qdpx", str(bomb), code=1)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "bomb.qdpx" in result.stderr and "project.qde" in result.stderr
    assert grown_mb < 200
