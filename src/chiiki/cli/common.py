"""What every command shares: the workbench of this invocation, printing in the user's language,
one-line errors.

A command is ``parse options → one Workbench call → format``; it gets its workbench with
:func:`workbench` (the root ``--db``/``--lang``, or the command's own ``--db``) and prints with
:func:`say`, :func:`warn` and :mod:`chiiki.cli.output`. Nothing here writes ``os.environ``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import typer

from chiiki.i18n import N_, Message, Translator, translator

if TYPE_CHECKING:
    from chiiki.workbench import Workbench

DB_HELP = N_("database URL or SQLite file (default: CHIIKI_DB_URL or ./chiiki.db)")


class State:
    """Per-invocation state kept in ``ctx.obj`` by the root callback."""

    def __init__(self, db: str | None, lang: str, environ: dict[str, str] | None = None) -> None:
        self.db = db
        self.lang = lang
        self.environ = environ
        self._workbenches: dict[str | None, Workbench] = {}

    def workbench(self, db: str | None = None) -> Workbench:
        key = db or self.db
        if key not in self._workbenches:
            from chiiki.workbench import Settings, Workbench

            settings = Settings.from_env(db=key, lang=self.lang, environ=self.environ)
            self._workbenches[key] = Workbench(settings)
        return self._workbenches[key]


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State(None, "ja")
    return root.obj


def workbench(ctx: typer.Context, db: str | None = None) -> Workbench:
    """The workbench of this invocation (a command's own ``--db`` wins over the root one)."""
    return state(ctx).workbench(db)


def tr(ctx: typer.Context) -> Translator:
    return translator(state(ctx).lang)


def _text(ctx: typer.Context, what: Message | str, **params: Any) -> str:
    t = tr(ctx)
    if isinstance(what, Message):
        return t.render(what)
    return t.gettext(what).format(**params) if params else t.gettext(what)


def say(ctx: typer.Context, what: Message | str, **params: Any) -> None:
    """Print a message or a msgid (translated, then ``.format(**params)``) to standard output."""
    typer.echo(_text(ctx, what, **params))


def note(ctx: typer.Context, what: Message | str, **params: Any) -> None:
    """Like :func:`say`, on standard error (progress and file names, so stdout stays data)."""
    typer.echo(_text(ctx, what, **params), err=True)


def warn(ctx: typer.Context, messages: list[Message] | list[Any]) -> None:
    """Warnings on standard error, one line each, prefixed with the word for 'warning'."""
    label = tr(ctx).gettext("warning")
    for m in messages:
        typer.echo(f"{label}: {_text(ctx, m) if isinstance(m, Message) else m}", err=True)


def fail(ctx: typer.Context, what: Message | str, code: int = 1, **params: Any) -> NoReturn:
    """Print one error line and exit with ``code``."""
    label = tr(ctx).gettext("error")
    typer.echo(f"{label}: {_text(ctx, what, **params)}", err=True)
    raise typer.Exit(code)
