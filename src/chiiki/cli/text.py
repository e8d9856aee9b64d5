"""``chiiki text``: text mining of the hearing documents (frequencies, KWIC, networks, CA, rules).

A thin client of the Workbench (``chiiki.workbench.text_api``). Every command takes the same
selection options (hub, period, organization kind, source type, ``--doc`` ids, or the coded
segments of one code); documents holding personal data are left out and names masked unless
``--include-personal``, made-up sample documents unless ``--include-samples``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from chiiki.cli.common import DB_HELP, note, say, tr, workbench
from chiiki.cli.hearing import FORMAT_HELP, notices
from chiiki.cli.output import emit
from chiiki.i18n import N_

app = typer.Typer(
    help=N_("Japanese text mining: frequencies, KWIC, co-occurrence networks, correspondence analysis, coding rules."),
    no_args_is_help=True,
)

HUB = typer.Option(None, "--hub", help=N_("only documents of this hub (id, key or name)"))
SINCE = typer.Option(None, "--since", help=N_("from this month: YYYY or YYYY-MM"))
UNTIL = typer.Option(None, "--until", help=N_("until this month: YYYY or YYYY-MM"))
ORG_KIND = typer.Option(None, "--org-kind", help=N_("only documents about this organization kind"))
SOURCE_TYPE = typer.Option(None, "--source-type", help=N_("only documents of this source type"))
SAMPLES = typer.Option(False, "--include-samples", help=N_("include made-up sample documents (left out by default)"))
DOC = typer.Option([], "--doc", help=N_("only this document, by id or key (repeatable)"))
STOPWORDS = typer.Option(
    None, "--stopwords", help=N_("stop-word file: one word per line, # comments (added to the built-in list)")
)
STOPWORDS_MODE = typer.Option(
    "add", "--stopwords-mode", help=N_("add: the file adds to the built-in list; replace: it replaces it")
)
CODE = typer.Option(None, "--code", help=N_("run on the coded segments of this code instead"))
PERSONAL = typer.Option(False, "--include-personal", help=N_("include documents holding personal data, names unmasked"))
FMT = typer.Option("table", "--format", help=FORMAT_HELP)
TOTAL = N_("Total")
DB = typer.Option(None, "--db", help=DB_HELP)
HEADINGS = {
    "term": N_("Word"),
    "pos": N_("Part of speech"),
    "forced": N_("Forced term"),
    "tf": N_("Frequency"),
    "df": N_("Documents"),
    "document_id": N_("Document ID"),
    "document": N_("Document"),
    "left": N_("Left context"),
    "keyword": N_("Keyword"),
    "right": N_("Right context"),
    "start": N_("Start"),
    "end": N_("End"),
    "a": N_("Term A"),
    "b": N_("Term B"),
    "co": N_("Co-occurrences"),
    "jaccard": N_("Jaccard"),
    "weight": N_("Weight"),
    "community": N_("Community"),
    "dim": N_("Dimension"),
    "eigenvalue": N_("Principal inertia"),
    "percent": N_("%"),
    "cumulative": N_("Cumulative %"),
    "label": N_("Label"),
    "kind": N_("Kind"),
    "code": N_("Code"),
    "chi2": N_("Chi-square"),
    "dof": N_("df"),
    "p": N_("p"),
    "min_expected": N_("Smallest expected count"),
    "n_small": N_("Expected counts below 5"),
    "documents": N_("Documents"),
}


def _selection(
    hub: str | None,
    since: str | None,
    until: str | None,
    org_kind: str | None,
    source_type: str | None,
    samples: bool,
    code: str | None = None,
    documents: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "hub": hub,
        "since": since,
        "until": until,
        "org_kind": org_kind,
        "source_type": source_type,
        "samples": samples,
        "code": code,
        "documents": tuple(documents or ()),
    }


@app.command("freq", help=N_("Term frequencies (tf, df)."))
def freq(
    ctx: typer.Context,
    top: int = typer.Option(50, help=N_("the first N terms")),
    out: Path | None = typer.Option(None, "--out", help=N_("also write the table to this CSV file")),
    stopwords: Path | None = STOPWORDS,
    stopwords_mode: str = STOPWORDS_MODE,
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    doc: list[str] = DOC,
    include_personal: bool = PERSONAL,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    table = workbench(ctx, db).text_freq(
        top,
        out=out,
        include_personal=include_personal,
        stopwords=stopwords,
        stopwords_mode=stopwords_mode,
        **_selection(hub, since, until, org_kind, source_type, samples, code, doc),
    )
    if fmt == "table":  # Sudachi's part-of-speech tags are Japanese: in CSV and JSON only
        table.columns = [c for c in table.columns if c != "pos"]
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command("kwic", help=N_("Keyword in context (concordance)."))
def kwic(
    ctx: typer.Context,
    term: str = typer.Argument(..., help=N_("the term to look for")),
    width: int = typer.Option(20, help=N_("characters of context either side")),
    substring: bool = typer.Option(False, "--substring", help=N_("match inside longer words too")),
    out: Path | None = typer.Option(None, "--out", help=N_("also write the table to this CSV file")),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    doc: list[str] = DOC,
    include_personal: bool = PERSONAL,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    table = workbench(ctx, db).text_kwic(
        term,
        width=width,
        match="substring" if substring else "token",
        out=out,
        include_personal=include_personal,
        **_selection(hub, since, until, org_kind, source_type, samples, code, doc),
    )
    emit(ctx, table, fmt, headings=HEADINGS)
    notices(ctx, table.warnings)


@app.command("network", help=N_("Co-occurrence network (PNG, SVG, HTML, GraphML or CSV)."))
def network(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help=N_("output file: .png, .svg, .html, .graphml or .csv")),
    unit: str = typer.Option("document", help=N_("counting unit: document or sentence")),
    top_n: int = typer.Option(60, help=N_("number of edges drawn")),
    min_df: int = typer.Option(2, help=N_("minimum document frequency of a term")),
    measure: str = typer.Option("jaccard", help=N_("similarity: jaccard, dice, cosine, simpson or co")),
    stopwords: Path | None = STOPWORDS,
    stopwords_mode: str = STOPWORDS_MODE,
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    doc: list[str] = DOC,
    include_personal: bool = PERSONAL,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    result = workbench(ctx, db).text_network(
        out=out,
        unit=unit,
        top_n=top_n,
        min_df=min_df,
        measure=measure,
        include_personal=include_personal,
        stopwords=stopwords,
        stopwords_mode=stopwords_mode,
        **_selection(hub, since, until, org_kind, source_type, samples, code, doc),
    )
    notices(ctx, result.warnings)
    if out is None:
        emit(ctx, result.edges, fmt, headings=HEADINGS)
        return
    say(
        ctx,
        N_("{edges} edges and {terms} terms written to {path}"),
        edges=result.edges.n,
        terms=result.nodes.n,
        path=out,
    )


@app.command("ca", help=N_("Correspondence analysis of terms × a document variable."))
def ca(
    ctx: typer.Context,
    variable: str = typer.Option("hub", help=N_("the variable: hub, region, org_kind, source_type or hearing")),
    out: Path | None = typer.Option(None, "--out", help=N_("draw the map: .png or .svg")),
    csv: Path | None = typer.Option(None, "--csv", help=N_("write the coordinates to this CSV file")),
    stopwords: Path | None = STOPWORDS,
    stopwords_mode: str = STOPWORDS_MODE,
    top_n: int = typer.Option(60, help=N_("number of terms")),
    min_df: int = typer.Option(2, help=N_("minimum document frequency of a term")),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    doc: list[str] = DOC,
    include_personal: bool = PERSONAL,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    result = workbench(ctx, db).text_ca(
        variable,
        out=out,
        csv=csv,
        top_n=top_n,
        min_df=min_df,
        include_personal=include_personal,
        stopwords=stopwords,
        stopwords_mode=stopwords_mode,
        **_selection(hub, since, until, org_kind, source_type, samples, code, doc),
    )
    notices(ctx, result.warnings)
    emit(ctx, result.inertia, fmt, headings=HEADINGS)
    for path in result.paths:
        note(ctx, N_("written to {path}"), path=path)


@app.command("rules", help=N_("Coding rules (KH Coder style) cross-tabulated by a variable, with χ² tests."))
def rules(
    ctx: typer.Context,
    rules_file: Path = typer.Argument(..., help=N_("the rule file (UTF-8 or CP932)")),
    variable: str = typer.Option("hub", help=N_("the variable to cross-tabulate by")),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    doc: list[str] = DOC,
    include_personal: bool = PERSONAL,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    result = workbench(ctx, db).text_rules(
        rules_file,
        variable,
        include_personal=include_personal,
        **_selection(hub, since, until, org_kind, source_type, samples, code, doc),
    )
    if fmt == "table":  # the total row's key, in the reader's words (CSV and JSON keep the key)
        label = tr(ctx).gettext(TOTAL)
        for row in result.table.rows:
            if row.get(variable) == "total":
                row[variable] = label
    emit(ctx, result.table, fmt, headings=HEADINGS)
    emit(ctx, result.chi2, fmt, headings=HEADINGS)
    notices(ctx, result.warnings)


@app.command("report", help=N_("Write the standalone hearings and text-mining report (one HTML file)."))
def report(
    ctx: typer.Context,
    out: Path = typer.Option(Path("text_report.html"), "--out", help=N_("output HTML file")),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    include_personal: bool = PERSONAL,
    db: str | None = DB,
) -> None:
    done = workbench(ctx, db).text_report(
        out, include_personal=include_personal, **_selection(hub, since, until, org_kind, source_type, samples)
    )
    say(ctx, done.message)
    notices(ctx, done.warnings)
