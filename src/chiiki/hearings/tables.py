"""Printing result tables for the CLI: a rich table on a terminal, CSV for pipes and files.

Kept out of the CLI modules so ``chiiki hearing``, ``chiiki code`` and ``chiiki text`` format
the same way; pandas is only imported by the callers that already hold a DataFrame.
"""

from __future__ import annotations

import sys
from typing import Any

FORMATS = ("table", "csv")


def emit(df: Any, fmt: str = "table", title: str | None = None, max_rows: int = 200) -> None:
    """Print a DataFrame as a rich table (``table``) or CSV to stdout (``csv``)."""
    if fmt == "csv":
        df.to_csv(sys.stdout, index=df.index.name is not None or _named_index(df))
        return
    from rich.console import Console
    from rich.table import Table

    show = df.reset_index() if _named_index(df) else df
    table = Table(title=title, show_lines=False)
    for col in show.columns:
        table.add_column(str(col), overflow="fold")
    for row in show.head(max_rows).itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    console = Console()
    console.print(table)
    if len(show) > max_rows:
        console.print(f"… {len(show) - max_rows} more rows (--format csv for all)")


def emit_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def _named_index(df: Any) -> bool:
    return any(name is not None for name in getattr(df.index, "names", [None]))


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return "" if v != v else f"{v:.4g}"
    return "" if v is None else str(v)


class CLIError(Exception):
    """An error already worded for the user (the CLI prints it and exits with status 1)."""


def db_url(db: str | None) -> str | None:
    """``--db`` takes a URL or a path to an SQLite file (as the main ``chiiki --db``)."""
    if not db:
        return None
    if "://" in db:
        return db
    from pathlib import Path

    return f"sqlite:///{Path(db).resolve()}"


def _ensure_schema(url: str | None) -> None:
    """Create a new database's schema (hearing tables included) or stop if it is outdated."""
    import chiiki.model.hearings  # noqa: F401  (registers the hearing tables for create_all)

    try:
        from chiiki.model.migrate import SchemaOutdated, ensure_schema
    except ImportError:  # pragma: no cover - the migration module is the lead's
        return
    from chiiki.model.db import get_engine

    try:
        ensure_schema(get_engine(url))
    except SchemaOutdated as exc:
        raise CLIError(str(exc)) from exc


def open_session(db: str | None):
    """``session_scope(db)`` whose database errors become short user-facing messages.

    A database created before the hearing tables existed raises "no such table"; the user
    needs the migration command, not a traceback.
    """
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError, ProgrammingError

    from chiiki.hearings.errors import HearingsError
    from chiiki.model.db import session_scope

    url = db_url(db)
    _ensure_schema(url)

    @contextmanager
    def scope():
        try:
            with session_scope(url) as session:
                yield session
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
            if "no such table" in text or "does not exist" in text:
                raise CLIError(
                    "データベースにヒアリング用の表がありません。`chiiki init` または "
                    "`chiiki db upgrade` を実行してください / hearing tables missing: "
                    "run `chiiki init` or `chiiki db upgrade`"
                ) from exc
            raise
        except HearingsError as exc:
            raise CLIError(str(exc)) from exc

    return scope()


def cli_errors(fn):
    """Decorator for CLI commands: user errors print one line and exit 1, no traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from chiiki.hearings.errors import HearingsError

        try:
            return fn(*args, **kwargs)
        except (CLIError, HearingsError) as exc:
            import typer

            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(1) from exc

    return wrapper
