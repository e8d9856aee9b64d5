"""``chiiki text``: text mining of hearing documents (頻度・KWIC・共起ネットワーク・対応分析).

Every command takes the same selection options (hub, period, organization kind, source type,
or the coded segments of one code) and calls :mod:`chiiki.text` on the selected documents.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import typer

from chiiki.cli.i18n import LANG
from chiiki.hearings.tables import CLIError, cli_errors, emit, emit_warnings, open_session

app = typer.Typer(
    help="テキストマイニング（頻度・KWIC・共起・対応分析・コーディング） / Text mining.",
    no_args_is_help=True,
)

DB_HELP = "データベース URL / database URL (default: CHIIKI_DB_URL or ./chiiki.db)"
HUB = typer.Option(None, "--hub", help="拠点 ID/キー/名称 / hub id, key or name")
SINCE = typer.Option(None, "--since", help="開始 YYYY[-MM] / from")
UNTIL = typer.Option(None, "--until", help="終了 YYYY[-MM] / until")
ORG_KIND = typer.Option(None, "--org-kind", help="機関種別 / organization kind")
SOURCE_TYPE = typer.Option(None, "--source-type", help="文書種別 / source type")
SAMPLES = typer.Option(True, "--samples/--no-samples", help="サンプル文書を含む / samples")
CODE = typer.Option(None, "--code", help="このコードのセグメントのみ / segments of a code")
FMT = typer.Option("table", "--format", help="table | csv")
DB = typer.Option(None, "--db", help=DB_HELP)


def _select(session, hub, since, until, org_kind, source_type, samples, code) -> list:
    from chiiki.hearings.selection import segments_as_docs, select_documents

    if code:
        docs = segments_as_docs(session, code)
    else:
        docs = select_documents(
            session,
            hub=hub,
            since=since,
            until=until,
            org_kind=org_kind,
            source_type=source_type,
            include_samples=samples,
        )
    if not docs:
        raise CLIError("条件に合う文書がありません / no documents match the selection")
    return docs


@lru_cache(maxsize=1)
def _tokenizer():
    """One tokenizer per process (loading the Sudachi dictionary takes about a second)."""
    from chiiki.text import Tokenizer

    return Tokenizer()


@app.command("freq")
@cli_errors
def freq(
    top: int = typer.Option(50, help="上位 N 語 / top N terms"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    """頻出語 / Term frequencies (tf, df)."""
    from chiiki.text import frequencies

    with open_session(db) as session:
        docs = _select(session, hub, since, until, org_kind, source_type, samples, code)
    emit(frequencies(docs, _tokenizer()).head(top), fmt, title=f"頻出語 (n={len(docs)})")


@app.command("kwic")
@cli_errors
def kwic(
    term: str = typer.Argument(..., help="検索語 / term"),
    width: int = typer.Option(20, help="前後の文字数 / context width"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    """KWIC コンコーダンス / Keyword in context."""
    from chiiki.text import kwic as kwic_

    with open_session(db) as session:
        docs = _select(session, hub, since, until, org_kind, source_type, samples, code)
    emit(kwic_(docs, term, _tokenizer(), width=width), fmt, title=term)


@app.command("network")
@cli_errors
def network(
    out: Path | None = typer.Option(None, "--out", help="出力 .png/.svg/.html/.graphml/.csv / output file"),
    unit: str = typer.Option("document", help="document | sentence"),
    top_n: int = typer.Option(60, help="描く共起の数 / number of edges"),
    min_df: int = typer.Option(2, help="最小文書頻度 / minimum df"),
    lang: str = typer.Option(LANG, help="ja | en"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    """共起ネットワーク / Co-occurrence network (PNG, SVG, HTML, GraphML or CSV)."""
    from chiiki.text import cooccurrence

    with open_session(db) as session:
        docs = _select(session, hub, since, until, org_kind, source_type, samples, code)
    result = cooccurrence(docs, _tokenizer(), unit=unit, top_n=top_n, min_df=min_df)
    emit_warnings(result.warnings)
    if out is None:
        emit(result.edges, fmt, title=f"共起 / co-occurrence (n={result.n})")
        return
    suffix = out.suffix.lower()
    writers = {
        ".png": lambda: result.to_png(out, lang=lang),
        ".svg": lambda: result.to_svg(out, lang=lang),
        ".html": lambda: result.to_html(out, lang=lang),
        ".graphml": lambda: result.to_graphml(out),
        ".csv": lambda: result.edges.to_csv(out, index=False, encoding="utf-8-sig"),
    }
    if suffix not in writers:
        raise CLIError(f"unsupported output {suffix!r}: use .png .svg .html .graphml .csv")
    writers[suffix]()
    typer.echo(f"{len(result.edges)} edges, {len(result.nodes)} terms written to {out}")


@app.command("ca")
@cli_errors
def ca(
    variable: str = typer.Option("hub", help="比較する変数 / variable: hub, region, org_kind, source_type, hearing"),
    out: Path | None = typer.Option(None, "--out", help="図 .png/.svg / plot"),
    csv: Path | None = typer.Option(None, "--csv", help="座標 CSV / coordinates CSV"),
    top_n: int = typer.Option(60, help="語数 / number of terms"),
    min_df: int = typer.Option(2, help="最小文書頻度 / minimum df"),
    lang: str = typer.Option(LANG, help="ja | en"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    """対応分析（語 × 変数） / Correspondence analysis of terms × a variable."""
    import pandas as pd

    from chiiki.text import correspondence

    with open_session(db) as session:
        docs = _select(session, hub, since, until, org_kind, source_type, samples, code)
    result = correspondence(docs, _tokenizer(), variable=variable, top_n=top_n, min_df=min_df)
    emit_warnings(result.warnings)
    emit(result.summary, fmt, title=f"対応分析 / CA: {variable}")
    if out is not None:
        result.biplot(out, lang=lang)
        typer.echo(f"plot written to {out}")
    if csv is not None:
        coords = pd.concat([result.row_coords.assign(kind="term"), result.col_coords.assign(kind=variable)])
        coords.rename_axis("label").to_csv(csv, encoding="utf-8-sig")
        typer.echo(f"coordinates written to {csv}")


@app.command("rules")
@cli_errors
def rules(
    rules_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="コーディングルール"),
    variable: str = typer.Option("hub", help="クロス集計の変数 / variable to cross-tabulate"),
    lang: str = typer.Option(LANG, help="ja | en"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    code: str | None = CODE,
    fmt: str = FMT,
    db: str | None = DB,
) -> None:
    """コーディングルール × 変数のクロス集計 (χ²) / Coding rules cross-tabulated (χ²)."""
    from chiiki.text import CodingRules, crosstab

    parsed = CodingRules.from_file(rules_file)
    with open_session(db) as session:
        docs = _select(session, hub, since, until, org_kind, source_type, samples, code)
    result = crosstab(docs, _tokenizer(), parsed, variable, lang=lang)
    emit(result.table, fmt, title=f"コード × {variable}")
    emit(result.summary, fmt, title="χ²")
    emit_warnings(result.warnings)


@app.command("report")
@cli_errors
def report(
    out: Path = typer.Option(Path("text_report.html"), "--out", help="出力 HTML / output"),
    lang: str = typer.Option(LANG, help="ja | en"),
    hub: str | None = HUB,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    org_kind: str | None = ORG_KIND,
    source_type: str | None = SOURCE_TYPE,
    samples: bool = SAMPLES,
    db: str | None = DB,
) -> None:
    """ヒアリング・テキスト分析レポート (HTML) / Standalone hearings & text report."""
    from chiiki.hearings.report import write_text_report

    with open_session(db) as session:
        path = write_text_report(
            session,
            out,
            lang=lang,
            hub=hub,
            since=since,
            until=until,
            org_kind=org_kind,
            source_type=source_type,
            include_samples=samples,
        )
    typer.echo(f"report written to {path}")
