"""The report's tables as one workbook, one sheet per table, for re-analysis in Excel.

Cells hold values, never formulas (a value starting with ``=`` stays text), not formatted
strings (numbers stay numbers); lists and dicts (warnings, QCA cases) are joined into text
because a cell holds one value. An empty table still gets its
sheet with its header so a reader sees that it was produced and is empty.
"""

from __future__ import annotations

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


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write ``{sheet name: frame}`` to ``path`` with a frozen, bold header row."""
    from openpyxl.styles import Font

    from chiiki.ingest.formulas import text_cells

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:MAX_SHEET_NAME]
            flatten(frame).to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            text_cells(ws)  # a value starting with "=" is text, never a live formula
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for column in ws.columns:
                width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                ws.column_dimensions[column[0].column_letter].width = min(width + 2, _MAX_WIDTH)
    return path
