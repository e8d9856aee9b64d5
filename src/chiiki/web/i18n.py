"""Templates in the reader's language: one Jinja2 environment per language, with the catalogue's
``gettext``/``ngettext`` installed and autoescape on for every template.

Why one environment per language rather than installing the callables per request: an
environment is shared by concurrent requests, so swapping its ``_`` per request would let a
Japanese and an English reader see each other's language. Two cached environments cost nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from chiiki.i18n import DEFAULT_LANG, LANGS, Message, translator

LANG_KEY = "lang"


def pick_lang(query: str | None, session_lang: object) -> str:
    """``?lang=`` if it names a catalogue, else the session's choice, else Japanese."""
    for candidate in (query, session_lang):
        if isinstance(candidate, str) and candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def _render(lang: str) -> Any:
    tr = translator(lang)

    def render(value: Any) -> str:
        """A Message (or a message dict) in the page's language; any other value as text."""
        if value is None:
            return ""
        if isinstance(value, Message) or (isinstance(value, Mapping) and "code" in value and "params" in value):
            return tr.render(value)
        return str(value)

    return render


@cache
def environment(lang: str) -> Environment:
    """The template environment of ``lang`` (autoescape on: every data value is escaped)."""
    env = Environment(
        loader=PackageLoader("chiiki.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tr = translator(lang)
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.globals["render"] = _render(lang)
    env.globals["other_langs"] = [x for x in LANGS if x != lang]
    return env


def page(lang: str, name: str, context: Mapping[str, Any]) -> str:
    return environment(lang).get_template(name).render(**context)
