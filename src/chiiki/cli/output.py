"""Formatting Workbench results for a terminal or a pipe: tables, CSV, JSON.

Column keys are stable English names (what CSV and JSON carry, so scripts do not depend on the
language); on the terminal they are shown through the catalogue when a heading is given.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping
from typing import Any

import typer

from chiiki.cli.common import tr
from chiiki.i18n import Message, shorten
from chiiki.workbench.results import Table, plain

FORMATS = ("table", "csv", "json")
CELL_LIMIT = 300  # characters of one terminal cell; CSV and JSON carry the whole value


def _csv_cell(v: Any, t: Any) -> str:
    """A CSV cell: a text value that would start a spreadsheet formula gets a leading ``'``
    (chiiki.ingest.formulas; ``chiiki import`` takes it off again)."""
    from chiiki.ingest.formulas import escape_cell

    text = _cell(v, t)
    return str(escape_cell(text)) if isinstance(v, str) else text


def _cell(v: Any, t: Any = None) -> str:
    """One cell as text; a Message (or a message dict) is rendered in the invocation's language."""
    if v is None:
        return ""
    if t is not None and (isinstance(v, Message) or (isinstance(v, dict) and "code" in v and "params" in v)):
        return str(t.render(v))
    if isinstance(v, float):
        return "" if v != v else f"{v:.4g}"
    if isinstance(v, list | tuple):
        return ", ".join(_cell(x, t) for x in v)
    return str(v)


def emit(
    ctx: typer.Context,
    table: Table,
    fmt: str = "table",
    headings: Mapping[str, str] | None = None,
    max_rows: int = 200,
) -> None:
    """Print ``table`` as a terminal table, CSV (keys as headers) or JSON (``to_dict()``)."""
    t = tr(ctx)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(table.columns)
        for r in table.rows:
            writer.writerow([_csv_cell(r.get(c), t) for c in table.columns])
        return
    if fmt == "json":
        typer.echo(json.dumps(plain(table.to_dict()), ensure_ascii=False, indent=2, allow_nan=False))
        return
    if fmt != "table":
        raise typer.BadParameter(t.gettext("format must be one of: {choices}").format(choices=", ".join(FORMATS)))
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(highlight=False)
    title = t.render(table.title) if table.title else None
    rt = RichTable(title=Text(title) if title else None)  # a title may hold data: not markup
    heads = headings or {}
    for c in table.columns:
        rt.add_column(t.gettext(heads[c]) if c in heads else c, overflow="fold")
    # cells are Text, not markup: a name in the data such as "[/bold]X" is shown as written
    for r in table.rows[:max_rows]:
        rt.add_row(*[Text(shorten(_cell(r.get(c), t), CELL_LIMIT)) for c in table.columns])
    console.print(rt)
    if table.n > max_rows:
        console.print(
            Text(t.gettext("… {n} more rows (--format csv for all)").format(n=table.n - max_rows)),
        )
