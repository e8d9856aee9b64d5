"""The import pages: upload a CSV/XLSX file → a dry-run preview (every row error with the
offending cells highlighted, or the counts) → confirm writes it in one transaction → history.

The uploaded bytes are kept in a per-process folder (a :func:`tempfile.mkdtemp`, never the
static folder) under the SHA-256 of their content; the session remembers which hash the user
previewed, so the confirm imports exactly the bytes that were checked and nobody can name
another file. The preview and the confirm are the same ``Workbench.import_file`` call, once
with ``dry_run=True``.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from chiiki.i18n import N_, Message
from chiiki.web.context import Viewer, viewer
from chiiki.web.i18n import page
from chiiki.workbench import WorkbenchError

router = APIRouter()

UPLOAD_KEY = "import_upload"
JST = timezone(timedelta(hours=9), "JST")
SUFFIX_RE = re.compile(r"\.[A-Za-z0-9]{1,5}")
TABLES = ("adoptions", "programs", "organizations", "participations", "links", "events")
CONTEXT_ROWS = 1  # rows shown above and below each refused row
HISTORY_HEADINGS = {
    "user_name": N_("who"),
    "imported_at": N_("when (JST)"),
    "file_name": N_("file"),
    "sha256": N_("SHA-256"),
    "table_name": N_("table"),
    "inserted": N_("added"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
}


def new_upload_folder() -> Path:
    """A private folder (mode 0700, :func:`tempfile.mkdtemp`) for one process's uploads."""
    return Path(tempfile.mkdtemp(prefix="chiiki-uploads-"))


def upload_folder(request: Request) -> Path:
    """This process's upload folder (made with the app, so concurrent requests share one)."""
    return Path(request.app.state.upload_folder)


def _html(v: Viewer, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(page(v.lang, template, {"v": v, "tables": TABLES, **context}))


@router.get("/import", response_class=HTMLResponse)
def import_form(v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    return _html(v, "import.html", form={})


def _options(table: str, sheet: str, header_row: str) -> dict[str, Any]:
    """The form's optional fields as import options (blank → found by the reader)."""
    row = header_row.strip()
    return {
        "table": table.strip() or None,
        "sheet": sheet.strip() or None,
        "header_row": int(row) if row.isdigit() and len(row) < 7 else None,
    }


@router.post("/import/preview", response_class=HTMLResponse)
async def import_preview(
    request: Request,
    v: Annotated[Viewer, Depends(viewer)],
    file: Annotated[UploadFile, File()],
    table: Annotated[str, Form()] = "",
    sheet: Annotated[str, Form()] = "",
    header_row: Annotated[str, Form()] = "",
) -> HTMLResponse:
    name = Path(file.filename or "upload").name or "upload"
    m = SUFFIX_RE.fullmatch(Path(name).suffix)
    path, digest = v.wb.stage_upload(await file.read(), upload_folder(request), m.group(0).lower() if m else "")
    options = _options(table, sheet, header_row)
    form = {"table": table, "sheet": sheet, "header_row": header_row}
    try:
        result = v.wb.import_file(path, dry_run=True, display_name=name, **options)
    except WorkbenchError as exc:
        request.session.pop(UPLOAD_KEY, None)
        errors = row_errors(exc.details, v.lang)
        rows = _shown_rows(v, path, errors, options)
        return _html(
            v, "import_preview.html", failed=exc.message, errors=errors, rows=rows, name=name, sha=digest, form=form
        )
    request.session[UPLOAD_KEY] = {"sha": digest, "suffix": path.suffix, "name": name, **options}
    return _html(v, "import_preview.html", result=result, name=name, sha=digest, form=form, errors=[], rows=None)


def row_errors(details: list[Any], lang: str) -> list[dict[str, Any]]:
    """The row errors of a refused import as rows of a table (row, column, value, reason in
    ``lang``); a detail that is not a row error (the "and n more" line) has no row."""
    from chiiki.i18n import translator

    tr = translator(lang)
    out: list[dict[str, Any]] = []
    for d in details:
        if not isinstance(d, Message):
            continue
        p = d.params
        if d.code in ("registry.row_error", "registry.row_error_value"):
            reason = p.get("reason")
            text = tr.render(Message.from_dict(reason)) if isinstance(reason, dict) else str(reason or "")
            out.append({"row": p.get("row"), "column": p.get("column"), "value": p.get("value"), "reason": text})
        else:
            out.append({"row": None, "column": None, "value": None, "reason": tr.render(d)})
    return out


def _shown_rows(v: Viewer, path: Path, errors: list[dict[str, Any]], options: dict[str, Any]) -> Any:
    """The file's rows around each refused row, with the refused cells marked, or None when
    the file cannot be read as a table at all (the error says why)."""
    bad: dict[int, set[str]] = {}
    for e in errors:
        if isinstance(e["row"], int):
            bad.setdefault(e["row"], set()).add(str(e["column"]))
    if not bad:
        return None
    wanted = {n for row in bad for n in range(row - CONTEXT_ROWS, row + CONTEXT_ROWS + 1) if n > 0}
    try:
        t = v.wb.preview_rows(path, wanted, **options)
    except WorkbenchError:
        return None
    return {"columns": t.columns[1:], "rows": t.rows, "bad": bad}


@router.post("/import/confirm")
def import_confirm(
    request: Request, v: Annotated[Viewer, Depends(viewer)], sha: Annotated[str, Form()]
) -> RedirectResponse:
    staged = request.session.get(UPLOAD_KEY)
    if not isinstance(staged, dict) or staged.get("sha") != sha:
        raise HTTPException(400, "no such upload")
    path = upload_folder(request) / f"{staged['sha']}{staged['suffix']}"
    if not path.is_file():
        raise HTTPException(400, "upload gone")
    v.wb.import_file(
        path,
        display_name=str(staged["name"]),
        table=staged.get("table"),
        sheet=staged.get("sheet"),
        header_row=staged.get("header_row"),
    )
    request.session.pop(UPLOAD_KEY, None)
    path.unlink(missing_ok=True)
    return RedirectResponse("/imports", status_code=303)


def jst(value: datetime) -> str:
    """A naive-UTC time from the database as JST, to the minute."""
    return value.replace(tzinfo=UTC).astimezone(JST).strftime("%Y-%m-%d %H:%M")


@router.get("/imports", response_class=HTMLResponse)
def import_history(v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    t = v.wb.import_history()
    return _html(v, "imports.html", t=t, headings=HISTORY_HEADINGS, jst=jst)
