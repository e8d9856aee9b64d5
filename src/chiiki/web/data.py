"""The registry views the pages and the API share: one Workbench call each, then sorting and
paging of the rows it returned (the Workbench filters; the page only orders and cuts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chiiki.workbench import Workbench
    from chiiki.workbench.results import Table

# filter attribute → query parameter (the CLI's option names: --from, --to)
PARAMS = {
    "program": "program",
    "prefecture": "prefecture",
    "fy_from": "from",
    "fy_to": "to",
    "grade": "grade",
    "interim_grade": "interim_grade",
}
PAGE_SIZE = 50
API_LIMIT = 100
API_MAX_LIMIT = 1000


@dataclass(frozen=True)
class Filters:
    """The filters of ``chiiki adoptions list``, as a form or a query string gives them."""

    program: str | None = None
    prefecture: str | None = None
    fy_from: str | None = None
    fy_to: str | None = None
    grade: str | None = None
    interim_grade: str | None = None
    has_successor: bool | None = None

    @classmethod
    def from_query(cls, q: dict[str, Any]) -> Filters:
        def text(name: str) -> str | None:
            value = q.get(name)
            return str(value).strip() or None if value is not None else None

        succ = text("has_successor")
        return cls(
            program=text("program"),
            prefecture=text("prefecture"),
            fy_from=text("from"),
            fy_to=text("to"),
            grade=text("grade"),
            interim_grade=text("interim_grade"),
            has_successor={"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(
                (succ or "").lower()
            ),
        )

    def query(self) -> dict[str, str]:
        """The non-empty filters as query-string pairs (for sort links, pages and downloads)."""
        out = {param: value for attr, param in PARAMS.items() if (value := getattr(self, attr))}
        if self.has_successor is not None:
            out["has_successor"] = "yes" if self.has_successor else "no"
        return out


def adoptions(wb: Workbench, f: Filters) -> Table:
    result: Table = wb.list_adoptions(
        program=f.program,
        prefecture=f.prefecture,
        fy_from=f.fy_from,
        fy_to=f.fy_to,
        grade=f.grade,
        interim_grade=f.interim_grade,
        has_successor=f.has_successor,
    )
    return result


def sort_rows(rows: list[dict[str, Any]], column: str | None, descending: bool) -> list[dict[str, Any]]:
    """Rows by one column, empty values last either way (the order of the Workbench when no
    column or an unknown one is given)."""
    if not column or not rows or column not in rows[0]:
        return rows
    present = [r for r in rows if r.get(column) not in (None, "")]
    empty = [r for r in rows if r.get(column) in (None, "")]
    present.sort(key=lambda r: (str(type(r[column])), r[column]), reverse=descending)
    return present + empty


def adoption(wb: Workbench, adoption_id: str) -> Any:
    """One adoption with every survey item, its sources, hub, predecessors, successors and
    events (``registry.no_adoption`` WorkbenchError when there is none: a 404)."""
    return wb.adoption(adoption_id)


def hub(wb: Workbench, ref: str) -> Any:
    """The history of the hub with numeric id ``ref``, or with key ``ref`` (the adoptions list
    names hubs by key); ``registry.no_hub`` WorkbenchError when there is none (a 404)."""
    from chiiki.i18n import msg
    from chiiki.workbench.errors import WorkbenchError

    if ref.isdigit() and len(ref) < 12:
        return wb.hub(int(ref))
    found = [h for h in wb.hub_histories(ref).hubs if h.hub.key == ref]
    if not found:
        raise WorkbenchError(msg("registry.no_hub", "error", name=ref))
    return found[0]
