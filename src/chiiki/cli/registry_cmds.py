"""Registry commands: db, info, import, export, summary, adoptions, region, timeline,
organizations, lineage.

Each command parses its options, makes one Workbench call and formats the result; the policies
(what ``db init`` loads, what an import refreshes) live in
:mod:`chiiki.workbench.registry_api`. Help texts and labels are English msgids, shown in the
invocation's language.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from chiiki.cli.common import DB_HELP, note, say, tr, warn, workbench
from chiiki.i18n import N_, Message, msg

db_app = typer.Typer(help=N_("create, upgrade or drop the database"), no_args_is_help=True)
adoptions_app = typer.Typer(help=N_("list and filter adoptions"), no_args_is_help=True)
region_app = typer.Typer(help=N_("hub (region) histories"), no_args_is_help=True)
orgs_app = typer.Typer(help=N_("organizations (name matching)"), no_args_is_help=True)
lineage_app = typer.Typer(help=N_("hub grouping and successor links"), no_args_is_help=True)

FORMAT_HELP = N_("output format: table, csv or json")
JSON_FORMAT_HELP = N_("output format: table or json")


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ViewFmt(StrEnum):
    table = "table"
    json = "json"


class ExportFmt(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


PROGRAM_HEADINGS = {
    "program_id": N_("program"),
    "adoptions": N_("adoptions"),
    "with_start_fy": N_("start"),
    "with_end_fy": N_("end"),
    "with_interim_grade": N_("interim"),
    "with_final_grade": N_("ex-post"),
    "final_dash": N_("'-'"),
    "name": N_("name"),
}
TIMELINE_HEADINGS = {
    "label": N_("program family"),
    "years": N_("years"),
    "total": N_("adoptions"),
    "per_fy": N_("start FY: adoptions"),
    "follows": N_("follows"),
}
DUPLICATE_HEADINGS = {"a": N_("name"), "b": N_("probably the same as"), "reason": N_("reason")}


def _json(value: Any) -> None:
    import json

    from chiiki.workbench.results import plain

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2, allow_nan=False))


# -- db ---------------------------------------------------------------------------------------
@db_app.command("init", help=N_("create the schema and load the bundled, source-cited registry (idempotent)"))
def db_init(
    ctx: typer.Context,
    empty: bool = typer.Option(False, "--empty", help=N_("create the schema only (no bundled data)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).init(bundled=not empty)
    say(ctx, done.message)
    warn(ctx, done.warnings)


@db_app.command("migrate", help=N_("upgrade a server database to this schema (SQLite files upgrade themselves)"))
def db_migrate(ctx: typer.Context, db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    say(ctx, workbench(ctx, db).migrate().message)


@db_app.command("drop", help=N_("drop every chiiki table"))
def db_drop(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", help=N_("do not ask for confirmation")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    wb = workbench(ctx, db)
    if not yes:
        typer.confirm(tr(ctx).gettext(N_("Drop every table of {db}?")).format(db=wb.describe_db()), abort=True)
    say(ctx, wb.drop().message)


# -- info, import, export ---------------------------------------------------------------------
def info(ctx: typer.Context, db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    r = workbench(ctx, db).info()
    typer.echo(f"chiiki {r.version}")
    say(ctx, N_("database: {db}"), db=r.db)
    if r.sqlite_path:
        say(ctx, N_("SQLite file: {path}"), path=r.sqlite_path)
    if not r.has_schema:
        say(ctx, N_("schema: none (run `chiiki db init`)"))
        return
    say(ctx, N_("schema: {revision} (head {head})"), revision=r.revision or "-", head=r.head or "-")
    labels = {
        "programs": N_("programs: {n}"),
        "adoptions": N_("adoptions: {n}"),
        "hubs": N_("hubs: {n}"),
        "organizations": N_("organizations: {n}"),
        "links": N_("successor links: {n}"),
    }
    for key, n in r.counts.items():
        say(ctx, labels.get(key, key + ": {n}"), n=n)


def import_cmd(
    ctx: typer.Context,
    file: str = typer.Argument(..., help=N_("CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX file; - for standard input")),
    table: str | None = typer.Option(
        None,
        "--table",
        help=N_(
            "table: adoptions, programs, organizations, participations, links or events "
            "(default: guessed from the headers)"
        ),
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help=N_("check the file only (nothing is written)")),
    sheet: str | None = typer.Option(
        None, "--sheet", help=N_("XLSX sheet name (default: the first sheet that holds a table)")
    ),
    header_row: int | None = typer.Option(
        None,
        "--header-row",
        min=1,
        help=N_("row number of the header (default: the first row naming known columns)"),
    ),
    new_program: bool = typer.Option(
        False, "--new-program", help=N_("create programs the file names that are not known yet")
    ),
    no_derive: bool = typer.Option(
        False, "--no-derive", help=N_("do not rebuild participations and hubs after the import")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    wb = workbench(ctx, db)
    source: Any = sys.stdin.buffer if file == "-" else Path(file)

    def run(progress: Any = None) -> Any:
        return wb.import_file(
            source,
            table,
            dry_run=dry_run,
            sheet=sheet,
            derive=not no_derive,
            display_name="<stdin>" if file == "-" else None,
            progress=progress,
            header_row=header_row,
            new_program=new_program,
        )

    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(tr(ctx).gettext(N_("importing")), total=None)
            result = run(lambda n: bar.update(task, completed=n))
    else:
        result = run()
    say(ctx, result.message)
    for notice in result.notices:
        say(ctx, notice)
    warn(ctx, result.warnings)


def export_cmd(
    ctx: typer.Context,
    table: str = typer.Argument(
        ..., help=N_("programs, adoptions, organizations, participations, hubs, links, events, sources or citations")
    ),
    fmt: ExportFmt = typer.Option(ExportFmt.csv, "--format", "-f", help=N_("file format: csv, xlsx or json")),
    out: Path | None = typer.Option(
        None, "-o", "--output", help=N_("output file (CSV and JSON: standard output when omitted)")
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help=N_("utf-8, utf-8-sig (for Excel) or cp932")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    wb = workbench(ctx, db)
    if out is None:
        sys.stdout.flush()
        done = wb.export_table(table, fmt.value, sys.stdout.buffer, encoding)
    else:
        done = wb.export_table(table, fmt.value, out, encoding)
        note(ctx, done.message)
    warn(ctx, done.warnings)


# -- summary, adoptions, region, timeline -------------------------------------------------------
def _program_table(ctx: typer.Context, rows: list[dict[str, Any]]) -> None:
    """The per-program counts: ids and counts kept on one line, long names cut at the edge."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    t = tr(ctx)
    table = RichTable(title=t.render(msg("registry.per_program_title", "info")))
    for key, heading in PROGRAM_HEADINGS.items():
        if key == "name":
            table.add_column(t.gettext(heading), overflow="ellipsis", no_wrap=True, max_width=30)
        elif key == "program_id":
            table.add_column(t.gettext(heading), no_wrap=True, min_width=11)
        else:
            table.add_column(t.gettext(heading), justify="right", no_wrap=True, min_width=4)
    for r in rows:
        table.add_row(*[Text(str(r[key]) if r.get(key) is not None else "") for key in PROGRAM_HEADINGS])
    Console(highlight=False).print(table)


def summary_cmd(
    ctx: typer.Context,
    fmt: ViewFmt = typer.Option(ViewFmt.table, "--format", "-f", help=JSON_FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    s = workbench(ctx, db).summary()
    if fmt is ViewFmt.json:
        _json(s.to_dict())
        return
    t = tr(ctx)
    head = t.ngettext(
        "{n} adoption ({programs} programs, {hubs} hubs, {multi} with several adoptions, {sources} source URLs)",
        "{n} adoptions ({programs} programs, {hubs} hubs, {multi} with several adoptions, {sources} source URLs)",
        s.n_adoptions,
    )
    typer.echo(
        head.format(n=s.n_adoptions, programs=s.n_programs, hubs=s.n_hubs, multi=s.n_multi_hubs, sources=s.n_sources)
    )
    if s.n_adoptions == 0:
        say(ctx, N_("No data yet: `chiiki db init` loads the bundled registry."))
        return
    _program_table(ctx, s.per_program)
    unknown = t.gettext(N_("unknown"))
    per_pref = t.join([f"{r['prefecture'] or unknown} {r['adoptions']}" for r in s.per_prefecture])
    say(ctx, N_("Per prefecture (an adoption spanning prefectures counts in each): {counts}"), counts=per_pref)
    g = s.grade_coverage
    say(
        ctx,
        N_(
            "Evaluations recorded: interim {interim}, ex-post {final} (and {dash} shown as '-') of {n} adoptions. "
            "Empty means 'not found', never 'none'."
        ),
        interim=g["interim"],
        final=g["final"],
        dash=g["final_dash"],
        n=s.n_adoptions,
    )
    links = t.join([f"{t.render(x['label']) if x['label'] else x['basis']} {x['n']}" for x in s.links]) or "0"
    say(ctx, N_("Successor links: {links}"), links=links)


@adoptions_app.command("list", help=N_("adoptions matching the filters, as a table, CSV or JSON"))
def adoptions_list(
    ctx: typer.Context,
    program: str | None = typer.Option(None, "--program", help=N_("program id (or its beginning)")),
    prefecture: str | None = typer.Option(None, "--prefecture", help=N_("prefecture")),
    fy_from: str | None = typer.Option(None, "--from", help=N_("earliest start FY (2002, H14 …)")),
    fy_to: str | None = typer.Option(None, "--to", help=N_("latest start FY")),
    grade: str | None = typer.Option(None, "--grade", help=N_("ex-post evaluation grade S/A/B/C")),
    interim_grade: str | None = typer.Option(None, "--interim-grade", help=N_("interim evaluation grade S/A/B/C")),
    has_successor: bool | None = typer.Option(
        None, "--has-successor/--no-successor", help=N_("with / without a successor adoption")
    ),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from chiiki.cli.output import emit

    table = workbench(ctx, db).list_adoptions(
        program=program,
        prefecture=prefecture,
        fy_from=fy_from,
        fy_to=fy_to,
        grade=grade,
        interim_grade=interim_grade,
        has_successor=has_successor,
    )
    emit(ctx, table, fmt.value, headings=table.headings, max_rows=10_000)


@adoptions_app.command(
    "merge", help=N_("fold adoption B into adoption A (a duplicate): every reference moves to A, B is deleted")
)
def adoptions_merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help=N_("adoption id to keep (A)")),
    absorb: str = typer.Argument(..., help=N_("adoption id to fold into A and delete (B)")),
    dry_run: bool = typer.Option(False, "--dry-run", help=N_("show what would change (nothing is written)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).merge_adoptions(keep, absorb, dry_run=dry_run)
    say(ctx, done.message)
    for change in done.data.get("changes", []):
        say(ctx, change)
    warn(ctx, done.warnings)


@region_app.command("show", help=N_("a hub's whole history, with the rule that linked each step"))
def region_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("part of a hub name, area name or adoption id")),
    fmt: ViewFmt = typer.Option(ViewFmt.table, "--format", "-f", help=JSON_FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    result = workbench(ctx, db).hub_histories(name)
    if fmt is ViewFmt.json:
        _json(result.to_dict())
        return
    t = tr(ctx)
    for i, history in enumerate(result.hubs):
        if i:
            typer.echo("")
        hub = history.hub
        typer.echo(f"── {hub.name}  ({hub.key}; {hub.prefecture or '-'})")
        for step in history.steps:
            a = step.adoption
            years = t.gettext(N_("FY{start}–{end}")).format(start=a.start_fy or "?", end=a.end_fy or "?")
            grades = ""
            if a.interim_grade or a.final_grade:
                grades = "  " + t.gettext(N_("interim {interim} / ex-post {final}")).format(
                    interim=a.interim_grade or "-", final=a.final_grade or "-"
                )
            typer.echo(f"• {years}  {a.id}  {step.program_name}  {a.region_name or ''}{grades}")
            if a.title:
                typer.echo(f"    {a.title}")
            if step.link_in is not None:
                link = step.link_in
                basis = t.render(link.basis_label) if link.basis_label else link.basis
                explanation = t.render(link.explanation) if link.explanation else link.rule
                typer.echo(f"    ← {link.from_adoption_id}  [{basis}] {explanation}")
            for ev in step.events:
                line = t.gettext(N_("{kind} FY{fy}: {description}")).format(
                    kind=t.render(ev.kind_label) if ev.kind_label else ev.kind,
                    fy=ev.fy or "?",
                    description=ev.description,
                )
                typer.echo(f"    ⇒ {line}")


def timeline_cmd(
    ctx: typer.Context,
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from chiiki.cli.output import emit
    from chiiki.workbench.results import Table

    table = workbench(ctx, db).timeline()
    if fmt is not Fmt.table:
        emit(ctx, table, fmt.value)
        return
    t = tr(ctx)
    labels = {r["family"]: t.gettext(r["label"]) for r in table.rows}
    rows = []
    for r in table.rows:
        counts = " ".join(f"{fy}:{n}" for fy, n in r["per_fy"].items())
        if r["undated"]:
            counts += " " + t.gettext(N_("undated:{n}")).format(n=r["undated"])
        rows.append(
            {
                "label": labels[r["family"]],
                "years": f"{r['first_fy'] or '?'}–{r['last_fy'] or ''}",
                "total": r["total"],
                "per_fy": counts.strip() or "-",
                "follows": t.join([labels.get(f, f) for f in r["follows"]]),
            }
        )
    emit(ctx, Table(list(TIMELINE_HEADINGS), rows, title=table.title), headings=TIMELINE_HEADINGS)


@orgs_app.command("duplicates", help=N_("organization names that probably mean the same body, with the reason"))
def orgs_duplicates(
    ctx: typer.Context,
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    from chiiki.cli.output import emit
    from chiiki.workbench.results import Table

    table = workbench(ctx, db).organization_duplicates()
    if fmt is Fmt.json:
        emit(ctx, table, "json")
        return
    t = tr(ctx)
    rows = [
        {"a": r["a"], "b": r["b"], "reason": t.render(r["reason"]) if isinstance(r["reason"], Message) else r["detail"]}
        for r in table.rows
    ]
    if fmt is Fmt.csv:
        emit(ctx, Table(["a", "b", "reason"], rows), "csv")
        return
    for r in rows:
        typer.echo(f"{r['a']}  ≈  {r['b']}   ({r['reason']})")
    if table.title is not None:
        say(ctx, table.title)


@lineage_app.command("rebuild", help=N_("recompute hubs and rule links (stated, manual and reject links are kept)"))
def lineage_rebuild(
    ctx: typer.Context,
    window: int = typer.Option(
        5, "--window", min=1, help=N_("a successor starts no later than N fiscal years after the end")
    ),
    overrides: Path | None = typer.Option(
        None,
        "--overrides",
        help=N_(
            "file of manual links to import first (links format: from_adoption_id, to_adoption_id, "
            "basis stated, manual or reject)"
        ),
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    say(ctx, workbench(ctx, db).rebuild_lineage(window=window, overrides=overrides).message)


def register(app: typer.Typer) -> None:
    app.command("info", help=N_("version, database location, counts"))(info)
    app.add_typer(db_app, name="db", help=N_("create, upgrade or drop the database"))
    app.command("import", help=N_("import a CSV or XLSX file (every row or nothing)"))(import_cmd)
    app.command("export", help=N_("export a table as CSV, XLSX or JSON"))(export_cmd)
    app.command("summary", help=N_("registry summary"))(summary_cmd)
    app.add_typer(adoptions_app, name="adoptions", help=N_("list and filter adoptions"))
    app.add_typer(region_app, name="region", help=N_("hub (region) histories"))
    app.command("timeline", help=N_("policy timeline"))(timeline_cmd)
    app.add_typer(orgs_app, name="organizations", help=N_("organizations (name matching)"))
    app.add_typer(lineage_app, name="lineage", help=N_("hub grouping and successor links"))
