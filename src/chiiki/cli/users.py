"""``chiiki users``: accounts of the web workbench — add a user, make an API token, list users.

A thin client of :mod:`chiiki.workbench.accounts_api`. A generated password and a new token are
printed once, on standard output (so a script can capture them), with a note on standard error
that they are not stored and cannot be shown again. Hashes are never printed.
"""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from chiiki.cli.common import DB_HELP, fail, note, say, workbench
from chiiki.cli.output import emit
from chiiki.i18n import N_

app = typer.Typer(help=N_("accounts of the web workbench"), no_args_is_help=True)

ROLE_HELP = N_("role: admin, researcher, coordinator, expert or viewer (or its Japanese label)")
SHOWN_ONCE = N_("(shown only now: chiiki keeps only a hash and cannot show it again)")
HEADINGS = {
    "name": N_("name"),
    "role": N_("role"),
    "created_at": N_("created (UTC)"),
    "disabled": N_("disabled"),
}


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _read_password(ctx: typer.Context) -> str:
    """One line of standard input, its line end removed (nothing else: blanks may be meant)."""
    line = sys.stdin.readline()
    if not line:
        fail(ctx, N_("no password on standard input"))
    return line.rstrip("\r\n")


@app.command("add", help=N_("add a user (prints a generated password, or reads one with --password-stdin)"))
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("user name (unique)")),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help=N_("read the password from one line of standard input")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    password = _read_password(ctx) if password_stdin else None
    done = workbench(ctx, db).add_user(name, role, password)
    say(ctx, done.message)
    generated = done.data.get("password")
    if generated:
        say(ctx, N_("password: {password}"), password=generated)
        note(ctx, SHOWN_ONCE)


@app.command("token", help=N_("print a new API token for a user (for Authorization: Bearer)"))
def token(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("user name")),
    label: str = typer.Option("", "--label", help=N_("what the token is for (shown in lists)")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    done = workbench(ctx, db).new_token(name, label)
    note(ctx, done.message)
    typer.echo(done.data["token"])
    note(ctx, SHOWN_ONCE)


@app.command("list", help=N_("list the users and their roles"))
def list_cmd(
    ctx: typer.Context,
    fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("output format: table, csv or json")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    emit(ctx, workbench(ctx, db).list_users(), fmt.value, headings=HEADINGS)
