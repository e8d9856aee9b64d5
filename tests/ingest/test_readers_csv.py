"""CSV files that used to lose rows silently: an unbalanced quote swallowing the following lines,
ragged rows, duplicate headers, a field past csv's limit; and CP932 files with a title row.
Every refusal names the file, the line where the record started and, where known, the column."""

from __future__ import annotations

import pytest

from chiiki.i18n import render
from chiiki.ingest.readers import ReadError, open_table
from chiiki.ingest.schema import ADOPTIONS, looks_like_header

HEAD = "事業名,エリア名,都道府県名,事業開始年度\n"


def is_header(cells: list[str]) -> bool:
    return looks_like_header(cells, ADOPTIONS)


def refusal(path, **kwargs):  # type: ignore[no-untyped-def]
    with pytest.raises(ReadError) as exc:
        info, rows = open_table(path, **kwargs)
        list(rows)
    return exc.value.message


def test_a_quote_that_swallows_the_following_rows_is_refused_at_its_line(corpus) -> None:
    text = HEAD + "KC,札幌エリア,北海道,H14\n" + 'KC,"仙台エリア,宮城県,H14\n' + "KC,京都エリア,京都府,H15\n" * 3
    text += 'KC,函館",北海道,H16\n'
    m = refusal(corpus.csv("swallow.csv", text))
    assert m.code == "ingest.unbalanced_quote" and m.params["row"] == 3 and m.params["column"] == "B"
    assert m.params["end"] == 7 and "3" in render(m, "ja")


def test_a_quote_never_closed_is_refused_at_its_line(corpus) -> None:
    text = HEAD + "KC,札幌エリア,北海道,H14\n" + 'KC,"仙台エリア,宮城県,H14\n' + "KC,京都エリア,京都府,H15\n" * 50
    m = refusal(corpus.csv("open.csv", text))
    assert m.code == "ingest.unclosed_quote" and m.params["row"] == 3


def test_a_quoted_note_with_line_breaks_is_legitimate_and_numbered_by_its_first_line(corpus) -> None:
    text = HEAD + 'KC,"札幌\nエリア",北海道,H14\n' + "KC,仙台,宮城県,H14\n"
    info, rows = open_table(corpus.csv("note.csv", text))
    got = list(rows)
    assert [n for n, _ in got] == [2, 4] and got[0][1]["エリア名"] == "札幌\nエリア"


@pytest.mark.parametrize(
    ("line", "code", "cells"),
    [("KC,仙台,宮城県\n", "ingest.too_few_cells", 3), ("KC,仙台,宮城県,H14,extra\n", "ingest.too_many_cells", 5)],
)
def test_ragged_rows_are_refused_naming_the_row(corpus, line: str, code: str, cells: int) -> None:
    # the row before holds a quoted line break: the error names the line the record starts on
    m = refusal(corpus.csv("ragged.csv", HEAD + 'KC,"札幌\nエリア",北海道,H14\n' + line))
    assert m.code == code and m.params["row"] == 4 and m.params["cells"] == cells
    # trailing empty cells (a trailing comma) are not ragged
    _, rows = open_table(corpus.csv("trailing.csv", HEAD + "KC,札幌,北海道,H14,,\n"))
    assert len(list(rows)) == 1


def test_duplicate_headers_are_refused(corpus) -> None:
    m = refusal(corpus.csv("dup.csv", "事業名,エリア名,事業名\na,b,c\n"))
    assert m.code == "ingest.duplicate_header" and m.params["columns"] == "A, C"


def test_cp932_file_with_a_title_row(corpus) -> None:
    text = "令和5年度 採択一覧,,,\n※百万円,,,\n,,,\n" + HEAD + "知的クラスター創成事業,札幌,北海道,平成14年度\n"
    path = corpus.csv("sjis.csv", text, "cp932")
    info, rows = open_table(path, is_header=is_header)
    got = list(rows)
    assert (
        info.encoding == "cp932"
        and info.header_row == 4
        and got
        == [
            (
                5,
                {
                    "事業名": "知的クラスター創成事業",
                    "エリア名": "札幌",
                    "都道府県名": "北海道",
                    "事業開始年度": "平成14年度",
                },
            )
        ]
    )


def test_a_field_past_the_csv_limit_is_a_row_error(corpus) -> None:
    huge = "x" * 200_000
    m = refusal(corpus.csv("huge.csv", HEAD + "KC,札幌,北海道,H14\n" + f'KC,"{huge}",北海道,H14\n'))
    assert m.code == "ingest.cell_too_long_line" and m.params["row"] == 3


def test_a_cell_past_the_excel_limit_is_a_row_and_column_error(corpus) -> None:
    m = refusal(corpus.csv("long.csv", HEAD + "KC," + "y" * 40_000 + ",北海道,H14\n"))
    assert m.code == "ingest.cell_too_long" and (m.params["row"], m.params["column"]) == (2, "B")


def test_a_stray_quote_inside_a_quoted_cell_is_named(corpus) -> None:
    m = refusal(corpus.csv("stray.csv", HEAD + 'KC,"札幌"エリア,北海道,H14\n'))
    assert m.code == "ingest.bad_quote" and m.params["row"] == 2


def test_csv_header_row_override(corpus) -> None:
    info, rows = open_table(corpus.csv("over.csv", "title\n" + HEAD + "KC,札幌,北海道,H14\n"), header_row=2)
    assert info.headers[0] == "事業名" and [n for n, _ in rows] == [3]
