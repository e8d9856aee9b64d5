"""`chiiki report`: write the survey report (HTML, PDF, XLSX) for the study group.

Only parses options, calls :func:`chiiki.report.build_report` and prints what it wrote; the
heavy imports happen inside the command so `chiiki --help` stays fast. The lead mounts it
with ``app.command("report")(report)``.
"""

from __future__ import annotations

from pathlib import Path

import typer


def report(
    out: Path = typer.Option(
        Path("./out"), "--out", "-o", help="出力先フォルダ(report.html / report.pdf / report.xlsx)"
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="報告書の言語: ja(日本語)または en(英語)。既定は chiiki --lang の値か ja"
    ),
    db: str | None = typer.Option(
        None, "--db", help="データベース(URL または SQLite ファイル)。既定は CHIIKI_DB_URL か ./chiiki.db"
    ),
    window: int = typer.Option(5, "--window", help="後継事業とみなす期間(事業終了後の年数)"),
    cutoff: int | None = typer.Option(None, "--cutoff", help="観察打ち切り年度(省略時はデータ中の最新年度)"),
) -> None:
    """調査報告書(HTML・PDF・Excel)を作成します。すべての数値は採択データと出典URLにたどれます。"""
    import os

    from chiiki.cli.common import console, fail, open_session, use_db
    from chiiki.report import build_report
    from chiiki.report.i18n import LANGS
    from chiiki.report.pdf import FontNotEmbeddedError, GlyphCoverageError

    lang = lang or os.environ.get("CHIIKI_LANG") or "ja"
    if lang not in LANGS:
        fail(f"--lang は {', '.join(LANGS)} のいずれかです: {lang}", code=2)
    use_db(db)
    try:
        with open_session() as session:
            from chiiki.hearings.report import chapter_title, hearings_chapter_html

            # The hearings chapter (issue: hearing surveys) goes into the same report.
            chapter = (chapter_title(lang), hearings_chapter_html(session, lang=lang, heading=False))
            result = build_report(
                session,
                out,
                lang=lang,
                params={"successor_window_years": window},
                cutoff_fy=cutoff,
                extra_chapters=[chapter],
            )
    except (GlyphCoverageError, FontNotEmbeddedError) as exc:
        fail(f"PDFを作成できません: {exc}")
    for warning in result.warnings:
        console.print(f"[yellow]注意: {warning}[/yellow]", highlight=False)
    for path in result.paths():
        console.print(str(path), highlight=False)
