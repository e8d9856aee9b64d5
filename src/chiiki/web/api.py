"""The JSON API ``/api/v1/…``: the registry views of the pages as the Workbench's ``to_dict()``
results, for a Bearer token (``chiiki users token NAME``) or a signed-in browser.

Keys are the stable English column names; messages are language-free dicts
(``{"code", "params", "severity"}``) with, where a reader is shown text, ``text`` rendered in
the request's language (``?lang=en``; Japanese by default).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from chiiki.web import data
from chiiki.web.context import Viewer, viewer
from chiiki.workbench.results import plain

router = APIRouter(prefix="/api/v1", tags=["registry"])


def _json(value: Any) -> JSONResponse:
    return JSONResponse(plain(value))


@router.get("/adoptions")
def api_adoptions(
    v: Annotated[Viewer, Depends(viewer)],
    program: str | None = None,
    prefecture: str | None = None,
    fy_from: Annotated[str | None, Query(alias="from")] = None,
    fy_to: Annotated[str | None, Query(alias="to")] = None,
    grade: str | None = None,
    interim_grade: str | None = None,
    has_successor: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=data.API_MAX_LIMIT)] = data.API_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    """Adoptions matching every filter (those of ``chiiki adoptions list``), ``limit`` rows from
    ``offset``; ``total`` counts every match."""
    f = data.Filters(program, prefecture, fy_from, fy_to, grade, interim_grade, has_successor)
    table = data.adoptions(v.wb, f)
    rows = table.rows[offset : offset + limit]
    return _json({"columns": table.columns, "rows": rows, "total": table.n, "limit": limit, "offset": offset})


@router.get("/adoptions/{adoption_id}")
def api_adoption(adoption_id: str, v: Annotated[Viewer, Depends(viewer)]) -> JSONResponse:
    """Every survey item of one adoption, its sources, hub, predecessors, successors and events."""
    return _json(data.adoption(v.wb, adoption_id).to_dict())


@router.get("/hubs/{ref}")
def api_hub(ref: str, v: Annotated[Viewer, Depends(viewer)]) -> JSONResponse:
    """One hub (numeric id or key) with its adoptions in order and the link that brought each in."""
    return _json(data.hub(v.wb, ref).to_dict())


@router.get("/summary")
def api_summary(v: Annotated[Viewer, Depends(viewer)]) -> JSONResponse:
    """Counts per program and prefecture, evaluation coverage, successor links by basis."""
    return _json(v.wb.summary().to_dict())


def openapi_route(request: Request, v: Annotated[Viewer, Depends(viewer)]) -> JSONResponse:
    """The OpenAPI schema (signed-in users and tokens only, like every other route)."""
    return JSONResponse(request.app.openapi())
