"""Messages of the readers (codes ``ingest.*`` about files, sheets, header rows and records).

Kept apart from the cell parsers' messages in ``ingest/messages.py``, which merges them: the
catalogue looks codes up there.
"""

from __future__ import annotations

from chiiki.i18n import N_

READER_MESSAGES = {
    "ingest.no_such_file": N_("{file}: no such file"),
    "ingest.unknown_encoding": N_("{file}: cannot detect the text encoding (tried UTF-8 and CP932)"),
    "ingest.empty_file": N_("{file}: the file is empty (no header row)"),
    "ingest.empty_sheet": N_("{file}: the sheet {sheet} is empty (no header row)"),
    "ingest.no_such_sheet": N_("{file}: there is no sheet {sheet} (sheets: {sheets})"),
    "ingest.too_many_cells": N_("{file}: row {row}: {cells} cells but {headers} headers (an unquoted comma?)"),
    "ingest.bad_xlsx": N_("{file}: not a readable XLSX file ({detail})"),
    "ingest.unsupported_type": N_("{file}: unsupported file type {suffix} (use .csv or .xlsx)"),
}
