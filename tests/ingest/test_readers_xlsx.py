"""XLSX files as people have them (title rows, merged cells, data on the second sheet) and as
they break readers (a lying <dimension>, formulas without values, duplicate headers, encrypted
or renamed files). Every case failed, or read wrong data silently, with the reader before issue 9."""

from __future__ import annotations

import pytest

from chiiki.i18n import render
from chiiki.ingest.readers import ReadError, open_table
from chiiki.ingest.schema import ADOPTIONS, looks_like_header

HEADER = ["事業名", "エリア名", "都道府県名", "事業開始年度"]


def is_header(cells: list[str]) -> bool:
    return looks_like_header(cells, ADOPTIONS)


def government_layout() -> list[list[object]]:
    """A title row, a note row and a blank row above the header, as MEXT's lists have them."""
    return [
        ["令和5年度 地域イノベーション・エコシステム形成プログラム 採択一覧"],
        ["※ 金額は百万円。出典: 文部科学省"],
        [],
        HEADER,
        ["知的クラスター創成事業", "札幌エリア", "北海道", "H14"],
        ["知的クラスター創成事業", "仙台エリア", "宮城県", "H14"],
    ]


def test_title_rows_above_the_header_are_skipped(corpus, read) -> None:
    path = corpus.xlsx("title.xlsx", {"一覧": government_layout()})
    info, rows = read(path, is_header=is_header)
    assert info.headers == HEADER and info.header_row == 4 and info.sheet == "一覧"
    assert [n for n, _ in rows] == [5, 6]
    assert rows[0][1]["エリア名"] == "札幌エリア"
    notice = next(m for m in info.notices if m.code == "ingest.header_found_sheet")
    assert notice.params["row"] == 4 and "4" in render(notice, "ja")


def test_header_row_and_sheet_override(corpus, read) -> None:
    path = corpus.xlsx("two.xlsx", {"表紙": [["表紙"]], "データ": government_layout()})
    info, rows = read(path, sheet="データ", header_row=4)
    assert info.headers == HEADER and len(rows) == 2
    with pytest.raises(ReadError) as exc:
        read(path, sheet="データ", header_row=3)
    assert exc.value.message.code == "ingest.header_row_empty" and exc.value.message.params["row"] == 3


def test_data_on_the_second_sheet_is_found(corpus, read) -> None:
    path = corpus.xlsx("second.xlsx", {"説明": [["この表について"], ["注記"]], "採択": government_layout()})
    info, rows = read(path, is_header=is_header)
    assert info.sheet == "採択" and info.header_row == 4 and len(rows) == 2
    chosen = next(m for m in info.notices if m.code == "ingest.sheet_chosen")
    assert chosen.params["skipped"] == "説明"


def test_no_header_anywhere_falls_back_to_row_1_and_says_where_it_looked(corpus, read) -> None:
    path = corpus.xlsx("none.xlsx", {"A": [["x", "y"], [1, 2]], "B": [["p"]]})
    info, rows = read(path, is_header=is_header)
    assert info.headers == ["x", "y"] and info.header_row == 1
    fallback = next(m for m in info.notices if m.code == "ingest.header_fallback")
    assert "A 1–2" in fallback.params["where"] and "B 1–1" in fallback.params["where"]


def test_merged_program_and_start_year_cells_are_filled_down(corpus, read) -> None:
    rows = [
        HEADER,
        ["知的クラスター創成事業", "札幌エリア", "北海道", "H14"],
        [None, "仙台エリア", "宮城県", None],
        [None, "京都エリア", "京都府", "H15"],
        ["都市エリア事業", "函館エリア", "北海道", "H16"],
    ]
    path = corpus.xlsx("merged.xlsx", {"S": rows}, merges={"S": ["A2:A4", "D2:D3"]})
    info, got = read(path)
    assert [r["事業名"] for _, r in got] == ["知的クラスター創成事業"] * 3 + ["都市エリア事業"]
    assert [r["事業開始年度"] for _, r in got] == ["H14", "H14", "H15", "H16"]
    filled = next(m for m in info.notices if m.code == "ingest.merged_filled")
    assert filled.params["ranges"] == "A2:A4, D2:D3"


def test_a_too_small_dimension_is_not_trusted(corpus, read) -> None:
    """openpyxl's read-only mode stops at <dimension>: 2 rows of 5 were read, silently."""
    rows = [corpus.row_xml(1, ["id", "name"])] + [corpus.row_xml(i, [i - 1, f"n{i - 1}"]) for i in range(2, 6)]
    path = corpus.raw_xlsx("dim.xlsx", corpus.sheet_xml(rows, dimension="A1:B2"))
    info, got = read(path)
    assert info.headers == ["id", "name"]
    assert [n for n, _ in got] == [2, 3, 4, 5] and got[-1][1] == {"id": 4, "name": "n4"}


def test_formula_without_a_cached_value_is_an_error_naming_the_cell(corpus, read) -> None:
    path = corpus.xlsx("formula.xlsx", {"S": [["id", "total"], [1, 5], [2, "=B2*2"]]})
    with pytest.raises(ReadError) as exc:
        read(path)
    assert exc.value.message.code == "ingest.formula_no_value" and exc.value.message.params["cell"] == "B3"
    assert "B3" in render(exc.value.message, "ja")
    # a formula whose value was saved is read, and so is a saved empty string (t="str")
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c></row>'
    body += '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>'
    body += '<row r="3"><c r="A3" t="str"><f>""</f><v></v></c></row>'
    _, got = read(corpus.raw_xlsx("cached.xlsx", corpus.sheet_xml([body])))
    assert got == [(2, {"n": 2})]


def test_duplicate_headers_are_an_error_naming_both_columns(corpus, read) -> None:
    path = corpus.xlsx("dup.xlsx", {"S": [["事業名", "エリア名", "事業名"], ["a", "b", "c"]]})
    with pytest.raises(ReadError) as exc:
        read(path)
    assert exc.value.message.code == "ingest.duplicate_header"
    assert exc.value.message.params["columns"] == "A, C" and exc.value.message.params["header"] == "事業名"


def test_an_empty_header_between_named_ones_is_a_notice(corpus, read) -> None:
    path = corpus.xlsx("gap.xlsx", {"S": [["a", None, "c"], [1, 2, 3]]})
    info, got = read(path)
    assert got == [(2, {"a": 1, "c": 3})]
    assert [m.params["column"] for m in info.notices if m.code == "ingest.empty_header"] == ["B"]


@pytest.mark.parametrize(("encrypted", "code"), [(True, "ingest.archive_encrypted"), (False, "ingest.archive_ole")])
@pytest.mark.parametrize("name", ["book.xlsx", "book.csv"])
def test_encrypted_xlsx_and_renamed_xls_are_named_as_such(corpus, encrypted: bool, code: str, name: str) -> None:
    path = corpus.ole(name, encrypted)
    with pytest.raises(ReadError) as exc:
        open_table(path)
    assert exc.value.message.code == code and exc.value.message.params["file"] == str(path)


def test_a_csv_renamed_xlsx_is_not_a_raw_badzipfile(corpus) -> None:
    path = corpus.csv("renamed.xlsx", "a,b\n1,2\n")
    with pytest.raises(ReadError) as exc:
        open_table(path)
    assert exc.value.message.code == "ingest.archive_not_zip"


def test_an_xlsx_named_csv_is_read_as_xlsx(corpus, read) -> None:
    path = corpus.xlsx("really.xlsx", {"S": [["a"], [1]]})
    target = path.with_name("really.csv")
    path.rename(target)
    _, got = read(target)
    assert got == [(2, {"a": 1})]


def test_a_broken_sheet_is_a_row_error_not_a_traceback(corpus, read) -> None:
    path = corpus.raw_xlsx("broken.xlsx", corpus.sheet_xml(['<row r="1"><c r="A1" t="s"><v>99</v></c></row>']))
    with pytest.raises(ReadError) as exc:
        read(path)
    assert exc.value.message.code in {"ingest.bad_xlsx_row", "ingest.bad_xlsx"}


def test_an_overlong_cell_is_an_error_naming_row_and_column(corpus, read) -> None:
    path = corpus.raw_xlsx(
        "long.xlsx", corpus.sheet_xml([corpus.row_xml(1, ["a", "b"]), corpus.row_xml(2, ["x", "y" * 40_000])])
    )
    with pytest.raises(ReadError) as exc:
        read(path)
    p = exc.value.message.params
    assert exc.value.message.code == "ingest.cell_too_long" and (p["row"], p["column"]) == (2, "B")
