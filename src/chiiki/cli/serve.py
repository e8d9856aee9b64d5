"""`chiiki serve`: the web workbench on this database, with a one-time sign-in link for the local
admin printed the way Jupyter prints its token.

uvicorn logs at warning level only: no access log, so no query string or request body (which
may hold a filter value or, in later slices, transcript text) ever reaches a log.
"""

from __future__ import annotations

import sys

import typer

from chiiki.cli.common import DB_HELP, say, workbench
from chiiki.i18n import N_


def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help=N_("address to listen on")),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help=N_("port to listen on")),
    no_signin_link: bool = typer.Option(
        False, "--no-signin-link", help=N_("do not print a one-time sign-in link for the local admin")
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Serve the web workbench until Ctrl-C."""
    import uvicorn

    from chiiki.web.app import create_app

    wb = workbench(ctx, db)
    app = create_app(wb.settings)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only the address we print
    base = f"http://{shown}:{port}"
    say(ctx, N_("chiiki: {url}"), url=f"{base}/")
    if not no_signin_link:
        admin = wb.ensure_local_admin()
        token = wb.signin_link(admin)
        say(
            ctx,
            N_("Sign in as {name} with this one-time link (valid 10 minutes): {url}"),
            name=admin,
            url=f"{base}/signin/{token}",
        )
    say(ctx, N_("Press Ctrl-C to stop."))
    sys.stdout.flush()  # the link is read by whoever started us before uvicorn takes over
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
