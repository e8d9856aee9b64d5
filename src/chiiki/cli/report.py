"""`chiiki report`: write the survey report (HTML, PDF, XLSX) for the study group.

A thin client of :meth:`chiiki.Workbench.report`: parse the options, make the one call, print
the files written (standard output) and the warnings (standard error). The root mounts it
with ``app.command("report")(report)``; heavy imports happen inside the Workbench call.
"""

from __future__ import annotations

from pathlib import Path

import typer

from chiiki.cli.common import DB_HELP, note, state, warn, workbench
from chiiki.i18n import LANGS, N_

OUT_HELP = N_("output folder (report.html, report.pdf, report.xlsx)")
LANG_HELP = N_("language of the report: ja or en (default: the value of chiiki --lang)")
WINDOW_HELP = N_("years after a program's end within which a successor adoption counts")
CUTOFF_HELP = N_("cut-off FY of the analysis (default: the latest FY in the data)")
PERSONAL_HELP = N_(
    "include the text of documents holding personal data and the names of interviewees (if you may see them)"
)

SAMPLES_HELP = N_("include the sample hearings and documents (each marked as a sample; left out by default)")


def report(
    ctx: typer.Context,
    out: Path = typer.Option(Path("./out"), "--out", "-o", help=OUT_HELP),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    window: int = typer.Option(5, "--window", help=WINDOW_HELP),
    cutoff: int | None = typer.Option(None, "--cutoff", help=CUTOFF_HELP),
    include_personal: bool = typer.Option(False, "--include-personal", help=PERSONAL_HELP),
    include_samples: bool = typer.Option(False, "--include-samples", help=SAMPLES_HELP),
) -> None:
    if lang is not None:
        if lang not in LANGS:
            raise typer.BadParameter(", ".join(LANGS), param_hint="--lang")
        state(ctx).lang = lang
    result = workbench(ctx, db).report(
        out, window=window, cutoff=cutoff, include_personal=include_personal, include_samples=include_samples
    )
    warn(ctx, result.warnings)
    for path in result.paths:
        typer.echo(str(path))
    note(ctx, result.message)
