"""docs/permissions.md shows the permission table the server checks (chiiki.web.permissions), so
the two cannot drift: a route added to the data without a row in the doc (or a role changed) fails.

`python tests/core/test_permissions_doc.py` prints the table as it should be, to paste into the doc
(the notes column is the doc's own and is not compared).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "permissions.md"
BEGIN, END = "<!-- permissions:begin -->", "<!-- permissions:end -->"
SIGNED_OUT = "signed out"


def signed_out_answer(route: str) -> str:
    """What a request without a session or token gets: public routes open, the API and its schema
    401 (a script has no page to be sent to), every page a redirect to the sign-in page."""
    from chiiki.web.permissions import PUBLIC

    if route in PUBLIC:
        return "200"
    if route.startswith("/api/") or route == "/openapi.json":
        return "401"
    return "303 → /login"


def expected() -> dict[str, list[str]]:
    """route → [signed out, then one answer per role] from the server's data."""
    from chiiki.web.permissions import PERMISSIONS, PUBLIC, ROLES

    rows = {route: [signed_out_answer(route), *("200" for _ in ROLES)] for route in PUBLIC}
    for route, roles in PERMISSIONS.items():
        rows[route] = [signed_out_answer(route), *("200" if role in roles else "403" for role in ROLES)]
    return rows


def header() -> list[str]:
    from chiiki.web.permissions import ROLES

    return ["route", SIGNED_OUT, *ROLES]


def render() -> str:
    """The table for the doc, public routes first, then in the data's order."""
    from chiiki.web.permissions import PUBLIC

    cols = [*header(), "notes"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    rows = expected()
    order = sorted(PUBLIC) + [r for r in rows if r not in PUBLIC]
    lines += [f"| `{route}` | " + " | ".join(rows[route]) + " |  |" for route in order]
    return "\n".join(lines)


def documented() -> tuple[list[str], dict[str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip().splitlines()
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table]
    head, body = cells[0], cells[2:]
    assert re.fullmatch(r"[-| :]+", table[1]), "the second line of the table is its rule"
    rows: dict[str, list[str]] = {}
    for row in body:
        route = row[0].strip("`")
        assert route not in rows, f"{route} twice in docs/permissions.md"
        rows[route] = row[1 : len(head) - 1]
    return head[:-1], rows


def test_the_doc_names_the_roles_in_the_servers_order() -> None:
    head, _ = documented()
    assert head == header()


def test_the_doc_table_equals_the_permission_data() -> None:
    _, rows = documented()
    assert rows == expected(), "docs/permissions.md is out of date; the table should be:\n" + render()


def test_every_documented_answer_is_one_the_legend_explains() -> None:
    _, rows = documented()
    legend = DOC.read_text(encoding="utf-8").split(BEGIN)[0]
    for answer in {cell for cells in rows.values() for cell in cells}:
        assert f"**{answer}**" in legend, answer


if __name__ == "__main__":
    print(render())
