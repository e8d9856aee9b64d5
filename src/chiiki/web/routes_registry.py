"""The registry pages: summary, the adoptions table (filters, sort, pages, downloads), one
adoption, one hub's history, the policy timeline.

Each route is parse the query → one Workbench call → render. Filters are a GET form, so the
table works without JavaScript and a filtered view is a link one can send.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from chiiki.i18n import N_
from chiiki.web import data
from chiiki.web.context import Viewer, viewer
from chiiki.web.downloads import MEDIA_TYPES
from chiiki.web.i18n import page

router = APIRouter()

# the survey items of one adoption (the export's columns)
FIELD_HEADINGS = {
    "adoption_id": N_("adoption id"),
    "program_id": N_("program id"),
    "phase": N_("phase"),
    "region_name": N_("area"),
    "prefectures": N_("prefectures"),
    "municipalities": N_("municipalities"),
    "title": N_("title"),
    "core_institution": N_("core institution"),
    "start_fy": N_("start FY"),
    "end_fy": N_("end FY"),
    "duration_years": N_("duration (years)"),
    "budget_total_million_yen": N_("total budget (million yen)"),
    "budget_note": N_("budget note"),
    "interim_grade": N_("interim evaluation"),
    "final_grade": N_("ex-post evaluation"),
    "grade_scale": N_("grade scale"),
    "universities": N_("universities"),
    "n_institutions": N_("institutions"),
    "n_companies": N_("companies"),
    "pd_name": N_("project director"),
    "notes": N_("notes"),
    "source_urls": N_("source URLs"),
    "participants_recorded": N_("participants recorded"),
    "final_evaluation_fy": N_("ex-post evaluation FY"),
}
PROGRAM_HEADINGS = {
    "program_id": N_("program"),
    "name": N_("name"),
    "adoptions": N_("adoptions"),
    "with_start_fy": N_("start"),
    "with_end_fy": N_("end"),
    "with_interim_grade": N_("interim"),
    "with_final_grade": N_("ex-post"),
}


def _html(v: Viewer, name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(page(v.lang, name, {"v": v, **context}))


@router.get("/", response_class=HTMLResponse)
def home(v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    s = v.wb.summary()
    return _html(v, "home.html", s=s, headings=PROGRAM_HEADINGS)


@router.get("/adoptions", response_class=HTMLResponse)
def adoptions(
    request: Request,
    v: Annotated[Viewer, Depends(viewer)],
    sort: str | None = None,
    desc: bool = False,
) -> HTMLResponse:
    f = data.Filters.from_query(dict(request.query_params))
    table = data.adoptions(v.wb, f)
    rows = data.sort_rows(table.rows, sort if sort in table.columns else None, desc)
    number = _page_number(request)
    pages = max(1, -(-len(rows) // data.PAGE_SIZE))
    number = min(number, pages)
    shown = rows[(number - 1) * data.PAGE_SIZE : number * data.PAGE_SIZE]
    base = f.query()

    def link(**extra: Any) -> str:
        q = {**base, **({"sort": sort} if sort else {}), **({"desc": "1"} if desc else {}), **extra}
        return "?" + urlencode({k: v for k, v in q.items() if v not in (None, "")})

    def sort_link(column: str) -> str:
        q = {**base, "sort": column, **({"desc": "1"} if sort == column and not desc else {})}
        return "?" + urlencode(q)

    return _html(
        v,
        "adoptions.html",
        f=f,
        rows=shown,
        total=len(rows),
        page_no=number,
        pages=pages,
        sort=sort,
        desc=desc,
        headings=table.headings,
        link=link,
        sort_link=sort_link,
        download_query=urlencode(base),
    )


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return max(1, int(text)) if text.isdigit() and len(text) < 7 else 1


@router.get("/adoptions.{fmt}")
def adoptions_download(request: Request, fmt: str, v: Annotated[Viewer, Depends(viewer)]) -> Response:
    if fmt not in MEDIA_TYPES:
        raise HTTPException(404, "unknown format")
    table = data.adoptions(v.wb, data.Filters.from_query(dict(request.query_params)))
    body = v.wb.table_bytes(table, fmt)
    headers = {"Content-Disposition": f'attachment; filename="adoptions.{fmt}"'}
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/adoptions/{adoption_id}", response_class=HTMLResponse)
def adoption(adoption_id: str, v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    return _html(v, "adoption.html", a=data.adoption(v.wb, adoption_id), headings=FIELD_HEADINGS)


@router.get("/hubs/{ref}", response_class=HTMLResponse)
def hub(ref: str, v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    return _html(v, "hub.html", h=data.hub(v.wb, ref))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(v: Annotated[Viewer, Depends(viewer)]) -> HTMLResponse:
    table = v.wb.timeline()
    return _html(v, "timeline.html", t=table)
