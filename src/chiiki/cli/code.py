"""``chiiki code``: codebook, coding, retrieval, agreement and REFI-QDA exchange (QDA).

Only option parsing and formatting here; the work is in :mod:`chiiki.hearings`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from chiiki.hearings.tables import cli_errors, emit, emit_warnings, open_session

app = typer.Typer(
    help="質的コーディング (QDA) と REFI-QDA 交換 / Qualitative coding and REFI-QDA exchange.",
    no_args_is_help=True,
)
codebook_app = typer.Typer(
    help="コードブック（一覧・追加・.qdc 入出力） / Codebook: list, add, import/export .qdc.",
    no_args_is_help=True,
)
app.add_typer(codebook_app, name="codebook")

DB_HELP = "データベース URL / database URL (default: CHIIKI_DB_URL or ./chiiki.db)"


@codebook_app.command("list")
@cli_errors
def codebook_list(
    fmt: str = typer.Option("table", "--format", help="table | csv"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コード一覧 / List codes with segment counts."""
    from chiiki.hearings.qda import list_codes

    with open_session(db) as session:
        result = list_codes(session)
    emit(result.summary, fmt, title="コードブック / Codebook")


@codebook_app.command("add")
@cli_errors
def codebook_add(
    name: str = typer.Argument(..., help="コード名 / code name"),
    parent: str | None = typer.Option(None, help="親コード / parent code"),
    description: str | None = typer.Option(None, help="定義 / description"),
    color: str | None = typer.Option(None, help="色 / colour #RRGGBB"),
    factor: str | None = typer.Option(None, help="重要因子名 / key-factor name"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コードを追加（同名なら更新） / Add a code (same name updates it)."""
    from chiiki.hearings.qda import add_code, code_path

    with open_session(db) as session:
        code = add_code(session, name, parent=parent, description=description, color=color, factor=factor)
        typer.echo(f"code {code.id}: {code_path(code)}")


@codebook_app.command("load-default")
@cli_errors
def codebook_load_default(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """報告書の調査内容に基づく初期コードブック / Load the starting codebook (report topics)."""
    from chiiki.hearings.bundled import load_default_codebook

    with open_session(db) as session:
        n = load_default_codebook(session)
    typer.echo(f"{n} codes loaded")


@codebook_app.command("import")
@cli_errors
def codebook_import(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="REFI-QDA .qdc"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """REFI-QDA コードブック (.qdc) を読み込む / Import a .qdc codebook."""
    from chiiki.hearings.refi import import_codebook

    with open_session(db) as session:
        result = import_codebook(session, path)
    typer.echo(f"{result.n} codes imported")


@codebook_app.command("export")
@cli_errors
def codebook_export(
    path: Path = typer.Argument(..., dir_okay=False, help="出力 .qdc / output .qdc"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コードブックを .qdc に書き出す（スキーマ検証済み） / Export the codebook as .qdc."""
    from chiiki.hearings.refi import export_codebook

    with open_session(db) as session:
        result = export_codebook(session, path)
    typer.echo(f"{result.n} codes written to {path}")


@app.command("apply")
@cli_errors
def apply(
    doc: int = typer.Option(..., "--doc", help="文書 ID / document id"),
    code: str = typer.Option(..., "--code", help="コード名 / code name"),
    start: int | None = typer.Option(None, help="開始位置（文字） / start offset"),
    end: int | None = typer.Option(None, help="終了位置（文字） / end offset"),
    search: str | None = typer.Option(None, help="検索文字列でコード化 / code a search string"),
    occurrence: int | None = typer.Option(None, help="n 番目の出現のみ / only the n-th match"),
    coder: str = typer.Option("default", help="コーダー名 / coder"),
    memo: str | None = typer.Option(None, help="メモ / memo"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """セグメントをコード化（位置または検索文字列） / Code a segment by offsets or search."""
    from chiiki.hearings.qda import add_segment, code_by_search

    if search is None and (start is None or end is None):
        raise typer.BadParameter("--start と --end、または --search を指定 / give offsets or search")
    with open_session(db) as session:
        if search is not None:
            segs = code_by_search(session, doc, code, search, coder=coder, memo=memo, occurrence=occurrence)
        else:
            segs = [add_segment(session, doc, code, start, end, coder=coder, memo=memo)]
        for s in segs:
            typer.echo(f"segment {s.id}: document {s.document_id} [{s.start}:{s.end}] {code}")


@app.command("segments")
@cli_errors
def segments(
    code: str = typer.Argument(..., help="コード名 / code name"),
    context: int = typer.Option(30, help="前後の文字数 / context characters"),
    coder: str | None = typer.Option(None, help="コーダーで絞る / only this coder"),
    fmt: str = typer.Option("table", "--format", help="table | csv"),
    include_personal: bool = typer.Option(
        False, "--include-personal", help="CSV に個人情報を含む文書の本文も出す / include personal text in CSV"
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コードの全セグメントを文脈付きで表示 / All segments of a code with context.

    On the terminal the coded text is shown (that is the point of retrieval); CSV is an export,
    so text from documents holding personal data is withheld unless --include-personal.
    """
    from chiiki.hearings.qda import retrieve_segments

    with open_session(db) as session:
        result = retrieve_segments(session, code, context=context, coder=coder)
    df = result.summary
    if fmt == "csv" and not include_personal and df["personal"].any():
        withheld = "［個人情報を含む文書: --include-personal で出力］"
        df = df.copy()
        df.loc[df["personal"], ["before", "text", "after", "memo"]] = withheld
        print(
            f"warning: text of {int(df['personal'].sum())} segment(s) from personal-data documents withheld "
            "(--include-personal to export it)",
            file=sys.stderr,
        )
    emit(df, fmt, title=code)


@app.command("matrix")
@cli_errors
def matrix(
    by: str = typer.Option("hub", help="hub | org_kind | region | source_type | document"),
    count: str = typer.Option("segments", help="segments | documents"),
    coder: str | None = typer.Option(None, help="コーダーで絞る / only this coder"),
    fmt: str = typer.Option("table", "--format", help="table | csv"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コード × 拠点（機関種別など）の集計 / Code × hub (or organization kind) matrix."""
    from chiiki.hearings.qda import code_matrix

    with open_session(db) as session:
        result = code_matrix(session, by=by, count=count, coder=coder)
    emit(result.summary, fmt)
    emit_warnings(result.warnings)


@app.command("agreement")
@cli_errors
def agreement(
    coder1: str = typer.Option(..., "--coder1", help="コーダー1 / first coder"),
    coder2: str = typer.Option(..., "--coder2", help="コーダー2 / second coder"),
    unit: str = typer.Option("document", help="document | segment (文字単位 / characters)"),
    fmt: str = typer.Option("table", "--format", help="table | csv"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コーダー間一致度 (Cohen κ, Krippendorff α) / Inter-coder agreement."""
    from chiiki.hearings.agreement import coder_agreement

    with open_session(db) as session:
        result = coder_agreement(session, coder1, coder2, unit=unit)
    emit(result.summary, fmt, title=f"{coder1} × {coder2} ({unit}, n={result.n})")
    emit_warnings(result.warnings)


@app.command("export-qdpx")
@cli_errors
def export_qdpx_cmd(
    path: Path = typer.Argument(..., dir_okay=False, help="出力 .qdpx / output .qdpx"),
    include_personal: bool = typer.Option(
        False, "--include-personal", help="個人情報を含む文書も出力 / include personal data"
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """プロジェクトを REFI-QDA .qdpx に書き出す / Export the project as REFI-QDA .qdpx."""
    from chiiki.hearings.refi import export_qdpx

    with open_session(db) as session:
        result = export_qdpx(session, path, include_personal=include_personal)
    row = result.summary.iloc[0]
    typer.echo(f"{row['sources']} sources, {row['selections']} selections written to {path}")
    emit_warnings(result.warnings)


@app.command("import-qdpx")
@cli_errors
def import_qdpx_cmd(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="REFI-QDA .qdpx"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """REFI-QDA .qdpx を読み込む / Import a REFI-QDA .qdpx project."""
    from chiiki.hearings.refi import import_qdpx

    with open_session(db) as session:
        result = import_qdpx(session, path)
    row = result.summary.iloc[0]
    typer.echo(f"{row['sources']} sources, {row['segments']} segments, {row['codes']} codes")
    emit_warnings(result.warnings)


@app.command("export-segments")
@cli_errors
def export_segments_cmd(
    path: Path = typer.Argument(..., dir_okay=False, help="出力 .csv / .xlsx"),
    fmt: str | None = typer.Option(None, "--format", help="csv | xlsx (default: from suffix)"),
    include_personal: bool = typer.Option(
        False, "--include-personal", help="話者名をそのまま出力 / keep speaker names"
    ),
    coder: str | None = typer.Option(None, help="コーダーで絞る / only this coder"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """コード化セグメントを CSV/XLSX に書き出す / Export coded segments to CSV or XLSX."""
    from chiiki.hearings.exports import export_segments

    with open_session(db) as session:
        result = export_segments(session, path, fmt=fmt, include_personal=include_personal, coder=coder)
    typer.echo(f"{result.n} segments written to {path}")
