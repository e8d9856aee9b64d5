"""`chiiki demo` — write a seeded synthetic registry into a new database.

The data are marked synthetic everywhere (program ids ``DEMO_*``, names prefixed as synthetic);
the Workbench refuses a database that already holds adoptions.
"""

from __future__ import annotations

import typer

from chiiki.cli.common import DB_HELP, fail, say, state, workbench
from chiiki.i18n import N_, Message, msg

app = typer.Typer(help=N_("Generate a synthetic demo registry."), no_args_is_help=True)


@app.command("generate", help=N_("Write a synthetic registry with planted effects into a new database."))
def generate(
    ctx: typer.Context,
    seed: int = typer.Option(0, "--seed", help=N_("random seed")),
    n: int = typer.Option(300, "--n", min=1, help=N_("number of adoptions")),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    if not (db or state(ctx).db):
        fail(ctx, msg("factors.demo_needs_db", "error"))
    done = workbench(ctx, db).generate_demo(seed=seed, n=n)
    say(ctx, done.message)
    for planted in done.data.get("planted", []):
        say(ctx, Message.from_dict(planted))
