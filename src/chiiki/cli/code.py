"""``chiiki code``: codebook, coding, retrieval, agreement and REFI-QDA exchange (QDA).

A thin client of the Workbench (``chiiki.workbench.hearings_api``): each command parses its
options, makes one Workbench call and formats the result. What text may leave the tool is the
Workbench's decision (``--include-personal`` only asks for it).
"""

from __future__ import annotations

from pathlib import Path

import typer

from chiiki.cli.common import DB_HELP, say, workbench
from chiiki.cli.hearing import FORMAT_HELP, notices
from chiiki.cli.output import emit
from chiiki.i18n import N_

app = typer.Typer(help=N_("Qualitative coding (QDA) and REFI-QDA exchange."), no_args_is_help=True)
codebook_app = typer.Typer(help=N_("The codebook: list, add, import and export (.qdc)."), no_args_is_help=True)
app.add_typer(codebook_app, name="codebook", help=N_("The codebook: list, add, import and export (.qdc)."))

INCLUDE_PERSONAL_HELP = N_("include text of documents holding personal data, and the names (personal data)")
CODER_HELP = N_("only this coder's segments")
TABLE_CODER_HELP = N_("count this coder's segments (needed when several coders coded, unless --rule)")
RULE_HELP = N_(
    "with several coders: agreed (spans every coder applied) or union (spans any coder applied, counted once)"
)
RULE_CODERS_HELP = N_("the coders a rule runs over (repeatable; default: all)")
INCLUDE_SAMPLES_HELP = N_("count made-up sample records too (left out by default)")
HEADINGS = {
    "id": N_("ID"),
    "name": N_("Code"),
    "path": N_("Path"),
    "parent": N_("Parent"),
    "description": N_("Description"),
    "color": N_("Colour"),
    "factor": N_("Key factor"),
    "segments": N_("Segments"),
    "segment_id": N_("Segment"),
    "document_id": N_("Document ID"),
    "document": N_("Document"),
    "code": N_("Code"),
    "coder": N_("Coder"),
    "start": N_("Start"),
    "end": N_("End"),
    "before": N_("Before"),
    "text": N_("Text"),
    "after": N_("After"),
    "memo": N_("Memo"),
    "hub": N_("Hub"),
    "region": N_("Region"),
    "personal": N_("Personal data"),
    "withheld": N_("Withheld"),
    "units": N_("Units"),
    "coder1_yes": N_("Coder 1: yes"),
    "coder2_yes": N_("Coder 2: yes"),
    "agreement": N_("Agreement"),
    "kappa": N_("Cohen's kappa"),
    "alpha": N_("Krippendorff's alpha"),
    "documents": N_("Documents"),
    "hearings": N_("Hearings"),
}


@codebook_app.command("list", help=N_("List the codes with their segment counts."))
def codebook_list(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    emit(ctx, workbench(ctx, db).codebook_list(), fmt, headings=HEADINGS)


@codebook_app.command("add", help=N_("Add a code (a code of the same name is updated)."))
def codebook_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("code name")),
    parent: str | None = typer.Option(None, help=N_("parent code")),
    description: str | None = typer.Option(None, help=N_("definition of the code")),
    color: str | None = typer.Option(None, help=N_("colour, #RRGGBB")),
    factor: str | None = typer.Option(None, help=N_("name of the key factor it stands for")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).codebook_add(name, parent=parent, description=description, color=color, factor=factor)
    say(ctx, done.message)


@codebook_app.command("load-default", help=N_("Load the starting codebook (the report's hearing topics)."))
def codebook_load_default(ctx: typer.Context, db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    say(ctx, workbench(ctx, db).codebook_load_default().message)


@codebook_app.command(
    "import",
    help=N_(
        "Import a codebook: REFI-QDA .qdc (also Taguette's), or a codebook CSV/XLSX with a path "
        "(or tag, or name) column and a description (ours or Taguette's)."
    ),
)
def codebook_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("codebook file (.qdc, .csv or .xlsx)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).codebook_import(path)
    say(ctx, done.message)
    notices(ctx, done.warnings)


@app.command("import-codebook", help=N_("Import a codebook (.qdc, .csv or .xlsx): the same as codebook import."))
def import_codebook_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("codebook file (.qdc, .csv or .xlsx)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    codebook_import(ctx, path, db)


@codebook_app.command(
    "export",
    help=N_(
        "Export the codebook: REFI-QDA .qdc (validated against the schema), or with a .csv name a "
        "codebook CSV that Taguette imports (path, description, color, factor)."
    ),
)
def codebook_export(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("output file (.qdc or .csv)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    say(ctx, workbench(ctx, db).codebook_export(path).message)


@app.command("apply", help=N_("Code a segment of a document, by offsets or by a search string."))
def apply(
    ctx: typer.Context,
    doc: int = typer.Option(..., "--doc", help=N_("document id")),
    code: str = typer.Option(..., "--code", help=N_("code name")),
    start: int | None = typer.Option(None, help=N_("start offset (characters)")),
    end: int | None = typer.Option(None, help=N_("end offset (characters)")),
    search: str | None = typer.Option(None, help=N_("code every occurrence of this string")),
    occurrence: int | None = typer.Option(None, help=N_("only the n-th occurrence")),
    coder: str = typer.Option("default", help=N_("coder name")),
    memo: str | None = typer.Option(None, help=N_("memo")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).apply_code(
        doc, code, start=start, end=end, search=search, occurrence=occurrence, coder=coder, memo=memo
    )
    say(ctx, done.message)


@app.command(
    "segments",
    help=N_(
        "All segments of a code with their context. Text of documents holding personal data is "
        "withheld unless --include-personal."
    ),
)
def segments(
    ctx: typer.Context,
    code: str = typer.Argument(..., help=N_("code name")),
    context: int = typer.Option(30, help=N_("characters of context either side")),
    coder: str | None = typer.Option(None, help=CODER_HELP),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    include_personal: bool = typer.Option(False, "--include-personal", help=INCLUDE_PERSONAL_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    table = workbench(ctx, db).segments(code, context=context, coder=coder, include_personal=include_personal)
    if fmt == "table":
        table.columns = ["segment_id", "document_id", "document", "coder", "before", "text", "after", "hub", "withheld"]
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command(
    "matrix",
    help=N_(
        "Codes by hub (or organization kind, region, source type, hearing, document): one coder's "
        "segments or by a rule, never several coders added up; sample records left out."
    ),
)
def matrix(
    ctx: typer.Context,
    by: str = typer.Option("hub", help=N_("hub, org_kind, region, source_type, hearing or document")),
    count: str = typer.Option("segments", help=N_("count segments or documents")),
    coder: str | None = typer.Option(None, help=TABLE_CODER_HELP),
    rule: str | None = typer.Option(None, help=RULE_HELP),
    rule_coder: list[str] = typer.Option([], "--rule-coder", help=RULE_CODERS_HELP),
    include_samples: bool = typer.Option(False, "--include-samples", help=INCLUDE_SAMPLES_HELP),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    include_personal: bool = typer.Option(False, "--include-personal", help=INCLUDE_PERSONAL_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    table = workbench(ctx, db).code_matrix(
        by=by,
        count=count,
        coder=coder,
        include_personal=include_personal,
        rule=rule,
        coders=rule_coder or None,
        include_samples=include_samples,
    )
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command(
    "frequencies",
    help=N_(
        "How often each code was applied (spans, documents, hearings): one coder's or by a rule, "
        "never several coders added up; sample records left out."
    ),
)
def frequencies(
    ctx: typer.Context,
    coder: str | None = typer.Option(None, help=TABLE_CODER_HELP),
    rule: str | None = typer.Option(None, help=RULE_HELP),
    rule_coder: list[str] = typer.Option([], "--rule-coder", help=RULE_CODERS_HELP),
    include_samples: bool = typer.Option(False, "--include-samples", help=INCLUDE_SAMPLES_HELP),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    table = workbench(ctx, db).code_frequencies(
        coder=coder, rule=rule, coders=rule_coder or None, include_samples=include_samples
    )
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command("agreement", help=N_("Inter-coder agreement (Cohen's kappa, Krippendorff's alpha)."))
def agreement(
    ctx: typer.Context,
    coder1: str = typer.Option(..., "--coder1", help=N_("first coder")),
    coder2: str = typer.Option(..., "--coder2", help=N_("second coder")),
    unit: str = typer.Option("document", help=N_("units: document, or segment (characters)")),
    include_samples: bool = typer.Option(False, "--include-samples", help=INCLUDE_SAMPLES_HELP),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    table = workbench(ctx, db).agreement(coder1, coder2, unit=unit, include_samples=include_samples)
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command(
    "export-qdpx",
    help=N_(
        "Export the project as REFI-QDA .qdpx. Documents holding personal data are left out and "
        "names masked unless --include-personal."
    ),
)
def export_qdpx_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("output file (.qdpx)")),
    include_personal: bool = typer.Option(False, "--include-personal", help=INCLUDE_PERSONAL_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).export_qdpx(path, include_personal=include_personal)
    say(ctx, done.message)
    notices(ctx, done.warnings)


@app.command("import-qdpx", help=N_("Import a REFI-QDA .qdpx project (sources keep their personal-data flag)."))
def import_qdpx_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("REFI-QDA project (.qdpx)")),
    source_type: str = typer.Option(
        "transcript", help=N_("type of sources that do not say theirs (transcripts are flagged as personal)")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).import_qdpx(path, source_type=source_type)
    say(ctx, done.message)
    notices(ctx, done.warnings)


@app.command(
    "export-segments",
    help=N_(
        "Export coded segments to CSV or XLSX. Text of documents holding personal data is withheld "
        "and names masked unless --include-personal."
    ),
)
def export_segments_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help=N_("output file (.csv or .xlsx)")),
    fmt: str | None = typer.Option(None, "--format", help=N_("csv or xlsx (default: from the file name)")),
    include_personal: bool = typer.Option(False, "--include-personal", help=INCLUDE_PERSONAL_HELP),
    coder: str | None = typer.Option(None, help=CODER_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).export_segments(path, fmt=fmt, include_personal=include_personal, coder=coder)
    say(ctx, done.message)
    notices(ctx, done.warnings)
