"""Messages of the readers (codes ``ingest.*`` about files, sheets, header rows and records) and of
the archive checks (``ingest.archive_*``).

Kept apart from the cell parsers' messages in ``ingest/messages.py``, which merges them: the
catalogue looks codes up there. Every error names the file, and where known the row, the column
and what to do.
"""

from __future__ import annotations

from chiiki.i18n import N_

READER_MESSAGES = {
    "ingest.no_such_file": N_("{file}: no such file"),
    "ingest.bad_file": N_("{file}: cannot be read ({detail})"),
    "ingest.unknown_encoding": N_("{file}: cannot detect the text encoding (tried UTF-8 and CP932)"),
    "ingest.empty_file": N_("{file}: the file is empty (no header row)"),
    "ingest.empty_sheet": N_("{file}: the sheet {sheet} is empty (no header row)"),
    "ingest.no_such_sheet": N_("{file}: there is no sheet {sheet} (sheets: {sheets})"),
    "ingest.header_fallback": N_(
        "{file}: no header row found in rows {where}: row 1 is read as the header; name the header with "
        "--header-row N, and --sheet NAME"
    ),
    "ingest.header_row_empty": N_(
        "{file}: row {row} (sheet {sheet}) is empty or past the end: it cannot be the header"
    ),
    "ingest.header_found": N_("{file}: the header is row {row} (the rows above it were skipped)"),
    "ingest.header_found_sheet": N_(
        "{file}: the header is row {row} of sheet {sheet} (the rows above it were skipped)"
    ),
    "ingest.sheet_chosen": N_("{file}: read sheet {sheet} (no header row on {skipped})"),
    "ingest.duplicate_header": N_(
        "{file}: row {row}: the header {header} appears twice (columns {columns}); rename one"
    ),
    "ingest.empty_header": N_("{file}: row {row}: column {column} has no header; its cells are not read"),
    "ingest.merged_filled": N_("{file}: sheet {sheet}: merged cells filled down from their first row: {ranges}"),
    "ingest.too_many_cells": N_("{file}: row {row}: {cells} cells but {headers} headers (an unquoted comma?)"),
    "ingest.too_few_cells": N_(
        "{file}: row {row}: {cells} cells but {headers} headers (a line break outside quotes, or a missing comma?)"
    ),
    "ingest.unbalanced_quote": N_(
        "{file}: row {row}: a double quote opened in column {column} is closed only at line {end}, "
        "taking the lines between into one cell; close or double the quote"
    ),
    "ingest.unclosed_quote": N_(
        "{file}: row {row}: a double quote opened here is never closed (the rest of the file would be one cell)"
    ),
    "ingest.bad_quote": N_('{file}: row {row}: a double quote inside a quoted cell must be doubled ("")'),
    "ingest.bad_csv": N_("{file}: row {row}: not readable as CSV ({detail})"),
    "ingest.cell_too_long": N_(
        "{file}: row {row}, column {column}: a cell of {length} characters (the limit is {limit})"
    ),
    "ingest.cell_too_long_line": N_(
        "{file}: row {row}: a cell longer than {limit} characters (or a double quote that is never closed)"
    ),
    "ingest.formula_no_value": N_(
        "{file}: sheet {sheet}, cell {cell}: a formula without a saved value; open and save the file in "
        "Excel or LibreOffice, or paste the values"
    ),
    "ingest.bad_xlsx": N_("{file}: not a readable XLSX file ({detail})"),
    "ingest.bad_xlsx_row": N_("{file}: sheet {sheet}, row {row}: not readable ({detail})"),
    "ingest.unsupported_type": N_("{file}: unsupported file type {suffix} (use .csv or .xlsx)"),
    # archives (XLSX, DOCX, QDPX), checked from the zip directory before parsing
    "ingest.archive_not_zip": N_(
        "{file}: not a zip archive as XLSX, DOCX and QDPX files are ({detail}); is it another kind of file renamed?"
    ),
    "ingest.archive_encrypted": N_(
        "{file}: the file is password-protected (encrypted); save a copy without a password"
    ),
    "ingest.archive_ole": N_(
        "{file}: an old binary Office file (.xls or .doc), whatever its name says; save it as .xlsx or .docx"
    ),
    "ingest.archive_member_too_large": N_(
        "{file}: the part {member} would inflate to {size} bytes (the limit is {limit}); refused before reading"
    ),
    "ingest.archive_too_large": N_(
        "{file}: the parts would inflate to {size} bytes or more (the limit is {limit}); refused before reading"
    ),
    "ingest.archive_ratio": N_(
        "{file}: the part {member} is compressed {ratio} to 1 (the limit is {limit}: a zip bomb?); refused"
    ),
    "ingest.archive_too_many": N_("{file}: {n} parts in the archive (the limit is {limit}); refused"),
    "ingest.archive_lied": N_("{file}: the part {member} inflates past its declared size of {size} bytes; refused"),
    "ingest.archive_missing_member": N_("{file}: the part {member} is missing from the archive"),
}
