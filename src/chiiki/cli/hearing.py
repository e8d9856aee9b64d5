"""``chiiki hearing``: hearing records and their documents.

A thin client of the Workbench (``chiiki.workbench.hearings_api``): each command parses its
options, makes one Workbench call and formats the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from chiiki.cli.common import DB_HELP, note, say, warn, workbench
from chiiki.cli.output import emit
from chiiki.i18n import N_, Message

app = typer.Typer(help=N_("Hearing records and their documents."), no_args_is_help=True)

FORMAT_HELP = N_("output format: table, csv or json")
INCLUDE_PERSONAL_HELP = N_("show personal data (names of interviewees and interviewers)")
HEADINGS = {
    "id": N_("ID"),
    "key": N_("Key"),
    "title": N_("Title"),
    "region": N_("Region"),
    "organizations": N_("Organizations"),
    "date": N_("Month"),
    "consent": N_("Consent"),
    "adoptions": N_("Adoptions"),
    "hubs": N_("Related hubs"),
    "documents": N_("Documents"),
    "is_sample": N_("Sample"),
}


def notices(ctx: typer.Context, messages: list[Message]) -> None:
    """Messages of a result on standard error: notices as they are, warnings labelled as such."""
    for m in messages:
        if m.severity == "info":
            note(ctx, m)
        else:
            warn(ctx, [m])


@app.command("add", help=N_("Add a hearing, or update the one with this key (only the options given change)."))
def add(
    ctx: typer.Context,
    key: str = typer.Option(..., help=N_("unique key, e.g. 2024-09-tsuruoka")),
    title: str | None = typer.Option(None, help=N_("title (needed for a new hearing)")),
    region: str | None = typer.Option(None, help=N_("region label as the source writes it")),
    date: str | None = typer.Option(None, help=N_("date: YYYY-MM or YYYY-MM-DD")),
    interviewers: str | None = typer.Option(None, help=N_("interviewers (personal data)")),
    guide: str | None = typer.Option(None, help=N_("key of the interview guide")),
    consent: str | None = typer.Option(None, help=N_("consent: obtained, pending, refused or not_needed")),
    org: list[str] = typer.Option([], help=N_("organization visited, 'name:kind' (repeatable)")),
    adoption: list[str] = typer.Option([], help=N_("related adoption id (repeatable)")),
    interviewee: list[str] = typer.Option(
        [], help=N_("person interviewed, 'name[:organization]' (personal data; repeatable)")
    ),
    note_: str | None = typer.Option(None, "--note", help=N_("note")),
    sample: bool | None = typer.Option(None, "--sample/--no-sample", help=N_("a made-up sample record")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).add_hearing(
        key,
        title,
        region=region,
        date=date,
        interviewers=interviewers,
        guide=guide,
        consent=consent,
        note=note_,
        sample=sample,
        organizations=org,
        adoptions=adoption,
        interviewees=interviewee,
    )
    say(ctx, done.message)
    notices(ctx, done.warnings)


@app.command("import", help=N_("Import a .txt, .md or .docx file as a document (encoding detected)."))
def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("the file: .txt, .md or .docx")),
    hearing: str | None = typer.Option(None, "--hearing", help=N_("id or key of the hearing it belongs to")),
    title: str | None = typer.Option(None, help=N_("title (default: the file name)")),
    source_type: str = typer.Option(
        "transcript", help=N_("transcript, notes, questionnaire, evaluation_comment, report or other")
    ),
    hub: str | None = typer.Option(None, help=N_("hub id, key or name")),
    sample: bool = typer.Option(False, help=N_("a made-up sample document (marked in its title)")),
    personal: bool | None = typer.Option(
        None,
        "--personal/--no-personal",
        help=N_("holds personal data (default: yes for transcripts and notes)"),
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).import_document(
        path, hearing=hearing, title=title, source_type=source_type, hub=hub, sample=sample, personal=personal
    )
    say(ctx, done.message)
    notices(ctx, done.warnings)


@app.command("list", help=N_("List the hearings (Table 1 of the report)."))
def list_(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    table = workbench(ctx, db).list_hearings()
    if fmt == "table":  # the terminal gets Table 1's columns; CSV and JSON keep every column
        table.columns = ["id", "region", "organizations", "date", "hubs", "documents"]
    emit(ctx, table, fmt, headings=HEADINGS)


@app.command("show", help=N_("Show one hearing (JSON)."))
def show(
    ctx: typer.Context,
    hearing: str = typer.Argument(..., help=N_("id or key of the hearing")),
    include_personal: bool = typer.Option(False, "--include-personal", help=INCLUDE_PERSONAL_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    detail = workbench(ctx, db).hearing_detail(hearing, include_personal=include_personal)
    data = detail.to_dict()
    data.pop("warnings")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
    notices(ctx, detail.warnings)


@app.command("load-bundled", help=N_("Load the hearing records of the report (Table 1, topics, summaries)."))
def load_bundled(ctx: typer.Context, db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    done = workbench(ctx, db).load_bundled_hearings()
    say(ctx, done.message)
    notices(ctx, done.warnings)
