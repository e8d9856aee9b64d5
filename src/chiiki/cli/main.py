"""`chiiki` — the entry point. Sub-commands live in small modules; heavy imports stay lazy.

The command tree is built per invocation (:func:`build`): only the sub-command being run is
imported (the analysis stacks — pandas, SudachiPy, WeasyPrint — would cost seconds on every
``chiiki --help``), and every help text, written in English in the code, is translated into the
invocation's language before Click prints it. Because nothing is decided at import time and
nothing is written to ``os.environ``, the whole CLI can run in-process (:func:`invoke`), in
either language, on any database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

# Plain Click help instead of Typer's Rich help: the Rich help renderer pulls in markdown-it and
# costs ~0.15 s per start, which would break the 0.3 s start-up goal. Our own output still uses Rich.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402

from chiiki import __version__  # noqa: E402
from chiiki.cli.common import DB_HELP, State  # noqa: E402
from chiiki.i18n import LANGS, N_, translator  # noqa: E402

ROOT_HELP = N_(
    "chiiki — a workbench for research on regional innovation ecosystems in Japan: "
    "program registry, key-factor extraction, hearing surveys and text mining."
)

# name → (module, attribute, is a single command, help msgid)
LAZY: dict[str, tuple[str, str, bool, str]] = {
    "factors": ("chiiki.cli.factors", "app", False, N_("key-factor extraction")),
    "demo": ("chiiki.cli.demo", "app", False, N_("synthetic data for validation")),
    "report": ("chiiki.cli.report", "report", True, N_("write the survey report (HTML, PDF, XLSX)")),
    "hearing": ("chiiki.cli.hearing", "app", False, N_("hearing surveys")),
    "code": ("chiiki.cli.code", "app", False, N_("qualitative coding (QDA, REFI-QDA)")),
    "text": ("chiiki.cli.text", "app", False, N_("Japanese text mining")),
    "users": ("chiiki.cli.users", "app", False, N_("accounts of the web workbench")),
    "serve": ("chiiki.cli.serve", "serve_cmd", True, N_("start the web workbench (prints a one-time sign-in link)")),
}
_OPTIONS_WITH_VALUE = {"--db", "--lang"}
HELP_OPTION = N_("Show this message and exit.")
# Typer's own help headings, translated through the catalogue (see build())
TYPER_STRINGS = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("(dynamic)"),
)


def detect_lang(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of this invocation, known before Click parses anything (help texts need it)."""
    value = environ.get("CHIIKI_LANG", "ja")
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return "en" if value.lower().startswith("en") else "ja"


def _invoked_command(argv: Sequence[str]) -> str | None:
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chiiki {__version__}")
        raise typer.Exit()


def build_app(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> typer.Typer:
    """The root Typer app for this invocation, with only the invoked sub-command imported."""
    import importlib

    from chiiki.cli import registry_cmds

    env = dict(os.environ if environ is None else environ)
    app = typer.Typer(
        name="chiiki", help=ROOT_HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
    )

    @app.callback()
    def main(
        ctx: typer.Context,
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        lang: str = typer.Option("ja", "--lang", help=N_("output language: ja or en")),
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help=N_("show the version")),
    ) -> None:
        if lang not in LANGS:
            raise typer.BadParameter(f"--lang: {', '.join(LANGS)}")
        ctx.obj = State(db, lang, env)

    registry_cmds.register(app)
    target = _invoked_command(argv)
    for name, (module, attr, single, help_text) in LAZY.items():
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
    return app


def translate_help(command: Any, lang: str) -> None:
    """Replace every help text of the tree with its translation (the tree is built anew per run).

    Duck-typed on purpose: Typer (0.29+) ships its own fork of Click, so the classes are Typer's.
    """
    t = translator(lang)
    original = command.get_help_option

    def get_help_option(ctx: Any, _original: Any = original) -> Any:
        option = _original(ctx)
        if option is not None:
            option.help = t.gettext(HELP_OPTION)
        return option

    command.get_help_option = get_help_option
    for attr in ("help", "short_help"):
        if getattr(command, attr, None):
            setattr(command, attr, t.gettext(getattr(command, attr)))
    for param in getattr(command, "params", []):
        if getattr(param, "help", None):
            param.help = t.gettext(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub, lang)


def build(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Any:
    """The command for ``argv``, help texts in the invocation's language.

    Typer's help formatter takes its headings ("Options", "Commands", "default: …") from
    ``typer.core._`` (stdlib gettext, global state keyed on the process locale); it is pointed at
    our catalogue for this invocation's language so a Japanese screen has Japanese headings.
    """
    import typer.core

    env = os.environ if environ is None else environ
    lang = detect_lang(argv, env)
    command = typer.main.get_command(build_app(argv, env))
    translate_help(command, lang)
    typer.core._ = translator(lang).gettext  # type: ignore[assignment]
    return command


def _report_error(exc: BaseException, lang: str) -> int:
    from chiiki.workbench.errors import WorkbenchError

    t = translator(lang)
    label = t.gettext("error")
    if isinstance(exc, WorkbenchError):
        for d in exc.details:
            print(t.render(d) if hasattr(d, "code") else str(d), file=sys.stderr)
        print(f"{label}: {t.render(exc.message)}", file=sys.stderr)
        return exc.exit_code
    first = (str(exc).strip().splitlines() or [""])[0]
    print(f"{label}: {type(exc).__name__}: {first}", file=sys.stderr)
    print(t.gettext("(run again with CHIIKI_DEBUG=1 for the traceback)"), file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run one invocation and return its exit code (what :func:`run` exits with).

    A failure the user can act on is one line, not a traceback: a WorkbenchError is shown in the
    user's language with its details (one per bad row); anything else that escapes (a corrupt
    file, an unreachable server) as its type and first line. CHIIKI_DEBUG=1 shows the traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    lang = detect_lang(args, env)
    try:
        rv = build(args, env).main(args=args, prog_name="chiiki", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print(translator(lang).gettext("Aborted."), file=sys.stderr)
        return 1
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error: Click's own message
            exc.show()
            return int(exc.exit_code)
        if env.get("CHIIKI_DEBUG"):
            raise
        return _report_error(exc, lang)


def invoke(args: Sequence[str], env: Mapping[str, str] | None = None, input: str | bytes | None = None) -> Any:
    """Run the CLI in this process (tests): a Result with ``stdout``, ``stderr``, ``exit_code``.

    ``env`` is the whole environment the invocation sees (not merged with ``os.environ``), so a
    test's database and language never leak into another test.
    """
    from typer.testing import CliRunner, Result

    environ = dict(env or {})
    runner = CliRunner()
    with runner.isolation(input=input, env=environ) as streams:
        try:
            code = main(list(args), environ)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err, both = (s.getvalue() for s in streams[:3])
    return Result(runner, out, err, both, None, code, None)


def run() -> None:
    """Console entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
