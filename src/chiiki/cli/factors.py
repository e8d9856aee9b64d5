"""`chiiki factors` — key-factor analysis of the registry.

A thin client: options → ``Workbench.analyse`` → the table, the cut-off, exclusions and verdicts
in the invocation's language (or the JSON records). Heavy imports (pandas, scipy, lifelines)
happen inside the Workbench call, so `chiiki --help` stays fast.
"""

from __future__ import annotations

import json
import math
from typing import Any

import typer

from chiiki.cli.common import DB_HELP, say, tr, warn, workbench
from chiiki.i18n import N_, Message

app = typer.Typer(help=N_("Analyse the key factors of hub continuation."), no_args_is_help=True)

HEADINGS = {
    "factor_label": N_("Factor"),
    "outcome_label": N_("Outcome"),
    "method_label": N_("Method"),
    "estimate": N_("Estimate"),
    "ci": N_("95% CI"),
    "cluster_ci": N_("95% CI by hub"),
    "p_value": N_("p-value"),
    "p_adjusted": N_("Adjusted p-value"),
    "n": N_("n"),
    "evidence_label": N_("Evidence"),
}
SHOWN = list(HEADINGS)


def _num(v: Any) -> str:
    if v is None:
        return "—"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return "—"
    if math.isinf(f):
        return "∞"
    return f"{f:.3g}"


def _ci(low: Any, high: Any) -> str:
    lo, hi = _num(low), _num(high)
    return "—" if lo == hi == "—" else f"{lo}–{hi}"


@app.command("run", help=N_("Estimate the key factors from the registry and show them as a table or JSON."))
def run(
    ctx: typer.Context,
    json_out: bool = typer.Option(
        False,
        "--json",
        help=N_(
            "print a JSON object: rows (every factor × outcome × analysis, with what it was adjusted for and "
            "the clustering used; warnings also as text in the chosen language) and verdicts (H1, H2)"
        ),
    ),
    all_rows: bool = typer.Option(
        False, "--all-rows", help=N_("show the crude rows beside the adjusted ones (the table shows adjusted rows)")
    ),
    window: int = typer.Option(
        5, "--window", min=1, help=N_("years after the end FY within which a successor program counts")
    ),
    cutoff: int | None = typer.Option(
        None, "--cutoff", help=N_("cut-off FY of the observation (default: the latest FY in the data)")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    wb = workbench(ctx, db)
    analysis = wb.analyse(window=window, cutoff=cutoff)
    if json_out:
        typer.echo(json.dumps(analysis.run_json(wb.lang), ensure_ascii=False, indent=2, allow_nan=False))
        return
    _print(ctx, wb.key_factor_table(analysis, primary_only=not all_rows), analysis)


def _print(ctx: typer.Context, table: Any, analysis: Any) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    t = tr(ctx)
    console = Console(highlight=False)
    rt = RichTable(title=Text(t.render(table.title)) if table.title else None)
    for key in SHOWN:
        rt.add_column(t.gettext(HEADINGS[key]), overflow="fold")
    for r in table.rows:
        cells = []
        for key in SHOWN:
            if key == "ci":
                cells.append(_ci(r["ci_low"], r["ci_high"]))
            elif key == "cluster_ci":
                cells.append(_ci(r["cluster_ci_low"], r["cluster_ci_high"]))
            elif isinstance(r.get(key), Message):
                cells.append(t.render(r[key]))
            elif key == "n":
                cells.append(str(r[key]))
            else:
                cells.append(_num(r.get(key)))
        rt.add_row(*[Text(c) for c in cells])  # Text, not markup: data may hold brackets
    console.print(rt)
    say(ctx, N_("Cut-off FY: {cutoff}"), cutoff=analysis.parameters["cutoff_fy"])
    for m in analysis.exclusion_messages():
        typer.echo("  " + t.render(m))
    say(ctx, N_("Hypotheses"))
    for v in analysis.verdicts:
        typer.echo(f"{v.id} [{t.render(v.status_message)}] {t.render(v.statement)}")
        typer.echo(f"    {t.render(v.reason)}")
    warn(ctx, table.warnings)
