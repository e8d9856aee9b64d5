"""`chiiki` — the entry point. Sub-commands live in small modules; heavy imports stay lazy."""

from __future__ import annotations

import os
import sys

# Plain Click help instead of Typer's Rich help: the Rich help renderer pulls in markdown-it and
# costs ~0.15 s per start, which would break the 0.3 s start-up goal. Our own output still uses Rich.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402

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
    os.environ["CHIIKI_LANG"] = lang


registry_cmds.register(app)


# name → (module, attribute, is a single command, Japanese help, English help)
_LAZY: dict[str, tuple[str, str, bool, str, str]] = {
    "factors": ("chiiki.cli.factors", "app", False, "重要因子の抽出", "key-factor extraction"),
    "demo": ("chiiki.cli.demo", "app", False, "検証用の合成データ", "synthetic data for validation"),
    "report": (
        "chiiki.cli.report",
        "report",
        True,
        "調査報告書（HTML・PDF・XLSX）を作成",
        "write the survey report (HTML, PDF, XLSX)",
    ),
    "hearing": ("chiiki.cli.hearing", "app", False, "ヒアリング調査", "hearing surveys"),
    "code": (
        "chiiki.cli.code",
        "app",
        False,
        "質的コーディング（QDA・REFI-QDA）",
        "qualitative coding (QDA, REFI-QDA)",
    ),
    "text": ("chiiki.cli.text", "app", False, "テキストマイニング", "Japanese text mining"),
}
_OPTIONS_WITH_VALUE = {"--db", "--lang"}


def _invoked_command(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OPTIONS_WITH_VALUE:
            skip = True
            continue
        if not arg.startswith("-"):
            return arg
    return None


def _mount_lazy(argv: list[str]) -> None:
    """Import only the sub-command being run: the analysis stacks (pandas, SudachiPy, WeasyPrint)
    would otherwise cost seconds on every `chiiki --help`. The others are listed by name and help."""
    import importlib

    target = _invoked_command(argv)
    for name, (module, attr, single, ja, en) in _LAZY.items():
        help_text = t(ja, en)
        if name == target:
            obj = getattr(importlib.import_module(module), attr)
            if single:
                app.command(name, help=help_text)(obj)
            else:
                app.add_typer(obj, name=name, help=help_text)
        elif single:
            app.command(name, help=help_text)(lambda: None)
        else:
            app.add_typer(typer.Typer(), name=name, help=help_text)


_mount_lazy(sys.argv[1:])


def run() -> None:
    """Console entry point: a failure the user can act on is one line, not a traceback.

    Commands report expected problems themselves (bad rows, unknown tables); anything that still
    escapes (a corrupt .qdpx, an unreachable server, a missing XLSX sheet) is shown as its type and
    first message line with exit code 1. CHIIKI_DEBUG=1 shows the full traceback.
    """
    try:
        app()
    except Exception as exc:
        if os.environ.get("CHIIKI_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"error: {type(exc).__name__}: {first}", file=sys.stderr)
        print(
            t("（詳細は CHIIKI_DEBUG=1 を付けて再実行）", "(run again with CHIIKI_DEBUG=1 for the traceback)"),
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    run()
