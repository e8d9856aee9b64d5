"""`chiiki` — the entry point. Sub-commands live in small modules; heavy imports stay lazy."""

from __future__ import annotations

import typer

from chiiki import __version__
from chiiki.cli import registry_cmds
from chiiki.cli.common import use_db
from chiiki.cli.i18n import t

app = typer.Typer(
    name="chiiki",
    help=t(
        "chiiki（地域）— 地域イノベーション・エコシステム研究のワークベンチ。"
        "採択地域の登録簿、重要因子の抽出、ヒアリング調査とテキストマイニング。",
        "chiiki — a workbench for research on regional innovation ecosystems in Japan: "
        "program registry, key-factor extraction, hearing surveys and text mining.",
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chiiki {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: str | None = typer.Option(
        None,
        "--db",
        help=t(
            "データベース（URL または SQLite ファイル）。既定は CHIIKI_DB_URL か ./chiiki.db",
            "database URL or SQLite file (default: CHIIKI_DB_URL or ./chiiki.db)",
        ),
    ),
    lang: str = typer.Option("ja", "--lang", help=t("表示言語 ja|en", "output language ja|en")),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=t("バージョンを表示", "show the version")
    ),
) -> None:
    use_db(db)
    import os

    os.environ["CHIIKI_LANG"] = lang


registry_cmds.register(app)


def _mount_optional() -> None:
    """Sub-apps of the other domains; each module keeps its own heavy imports lazy."""
    from chiiki.cli import code, demo, factors, hearing, report, text

    app.add_typer(factors.app, name="factors", help=t("重要因子の抽出", "key-factor extraction"))
    app.add_typer(demo.app, name="demo", help=t("検証用の合成データ", "synthetic data for validation"))
    app.command("report", help=t("調査報告書（HTML・PDF・XLSX）を作成", "write the survey report (HTML, PDF, XLSX)"))(
        report.report
    )
    app.add_typer(hearing.app, name="hearing", help=t("ヒアリング調査", "hearing surveys"))
    app.add_typer(code.app, name="code", help=t("質的コーディング", "qualitative coding"))
    app.add_typer(text.app, name="text", help=t("テキストマイニング", "text mining"))


try:
    _mount_optional()
except ImportError:  # a domain package not present in this build
    pass


if __name__ == "__main__":
    app()
