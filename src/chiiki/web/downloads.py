"""The filtered adoptions view as a download: the bytes come from the Workbench
(:meth:`chiiki.Workbench.table_bytes`: formula-safe cells, CSV with a BOM for Excel); this module
only names their media types.
"""

from __future__ import annotations

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
