"""``chiiki hearing``: hearing records and their documents.

A thin client of the Workbench (``chiiki.workbench.hearings_api``): each command parses its
options, makes one Workbench call and formats the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from chiiki.cli.common import DB_HELP, fail, note, say, tr, warn, workbench
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
    "sample": N_("Sample"),
    "hearing": N_("Hearing"),
    "file": N_("File"),
    "hash": N_("Hash"),
    "chars": N_("Characters"),
    "source_type": N_("Source type"),
    "segments": N_("Segments"),
    "personal": N_("Personal data"),
}
DOCUMENT_TABLE = ["id", "hearing", "title", "file", "hash", "chars", "segments", "personal", "sample"]


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
        table.columns = ["id", "region", "organizations", "date", "hubs", "documents", "sample"]
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


documents_app = typer.Typer(
    help=N_("The stored documents: list (default), show and delete. Their text is never listed."),
    invoke_without_command=True,
)
app.add_typer(documents_app, name="documents")


@documents_app.callback()
def documents_list(
    ctx: typer.Context,
    hearing: str | None = typer.Option(None, "--hearing", help=N_("only the documents of this hearing (id or key)")),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Without a subcommand: the list (id, hearing, file, hash prefix, characters, marks)."""
    if ctx.invoked_subcommand is not None:
        return
    table = workbench(ctx, db).list_documents(hearing=hearing)
    if fmt == "table":
        table.columns = list(DOCUMENT_TABLE)
    emit(ctx, table, fmt, headings=HEADINGS)


@documents_app.command(
    "show",
    help=N_(
        "Show one document (JSON): its metadata, and its text only if it holds no personal data "
        "or --include-personal is given (and allowed)."
    ),
)
def documents_show(
    ctx: typer.Context,
    document: str = typer.Argument(..., help=N_("id or key of the document")),
    include_personal: bool = typer.Option(
        False, "--include-personal", help=N_("show the text even if it holds personal data")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    detail = workbench(ctx, db).document_detail(document, include_personal=include_personal)
    data = detail.to_dict()
    data.pop("warnings")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
    notices(ctx, detail.warnings)


@documents_app.command("delete", help=N_("Delete a document with its coded segments and speaker turns."))
def documents_delete(
    ctx: typer.Context,
    document: str = typer.Argument(..., help=N_("id or key of the document")),
    yes: bool = typer.Option(False, "--yes", help=N_("do not ask for confirmation")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    wb = workbench(ctx, db)
    if not yes:
        detail = wb.document_detail(document).document
        question = tr(ctx).gettext(N_("Delete document {id} ({chars} characters, {segments} coded segments)?"))
        if not typer.confirm(
            question.format(id=detail["id"], chars=detail["chars"], segments=detail["segments"]), default=False
        ):
            fail(ctx, N_("Nothing deleted."))
    done = wb.delete_document(document)
    say(ctx, done.message)
