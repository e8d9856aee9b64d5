"""The report's tables as one workbook, one sheet per table, for re-analysis in Excel.

Cells hold values, never formulas (a value starting with ``=`` stays text), not formatted
strings (numbers stay numbers); lists and dicts (warnings, QCA cases) are joined into text
because a cell holds one value. An empty table still gets its sheet with its header and a
note row saying why it is empty, so a reader sees that it was produced and why it has nothing.
The file is written under a temporary name and renamed when complete (a full disk leaves the
previous workbook, never a truncated one).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

MAX_SHEET_NAME = 31  # Excel limit
_MAX_WIDTH = 60


def cell_value(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value


def flatten(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(cell_value)
    return out


def write_xlsx(
    sheets: dict[str, pd.DataFrame], path: Path, notes: Mapping[str, str] | None = None, note_header: str = "Note"
) -> Path:
    """Write ``{sheet name: frame}`` to ``path`` with a frozen, bold header row.

    ``notes[name]`` goes into the first cell under the header of an empty sheet (the header is
    ``note_header`` when the frame has no columns either).
    """
    from openpyxl.styles import Font

    from chiiki.ingest.atomic import atomic_path
    from chiiki.ingest.formulas import text_cells

    notes = notes or {}
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:MAX_SHEET_NAME]
            note = notes.get(name) if frame.empty else None
            table = frame if len(frame.columns) or note is None else pd.DataFrame(columns=[note_header])
            flatten(table).to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            if note is not None:
                ws.cell(row=2, column=1, value=note).font = Font(italic=True)
            text_cells(ws)  # a value starting with "=" is text, never a live formula
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for column in ws.columns:
                width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                ws.column_dimensions[column[0].column_letter].width = min(width + 2, _MAX_WIDTH)
    return path
