"""Shared CLI helpers: consoles, error exits, the database option."""

from __future__ import annotations

import os
from typing import NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def use_db(db: str | None) -> None:
    """`--db` accepts a URL or a path to an SQLite file; it sets CHIIKI_DB_URL for this process."""
    if not db:
        return
    url = db if "://" in db else f"sqlite:///{os.path.abspath(db)}"
    os.environ["CHIIKI_DB_URL"] = url


def open_session():  # type: ignore[no-untyped-def]
    """A session on a database whose schema is current (created if new)."""
    from chiiki.model.db import get_engine, session_scope
    from chiiki.model.migrate import SchemaOutdated, ensure_schema

    try:
        ensure_schema(get_engine())
    except SchemaOutdated as exc:
        fail(str(exc))
    return session_scope()
