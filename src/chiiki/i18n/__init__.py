"""One message catalogue for every place chiiki shows text: CLI, report, web templates.

Why gettext: the catalogue is a pair of ordinary ``.po`` files (``locale/ja`` and ``locale/en``)
that translators and ``pybabel extract``/``update``/``compile`` already know, and the compiled
``.mo`` files load with the standard library alone (no Babel import on the CLI's start-up path).

Two kinds of text go through it:

* **Interface strings** — help texts, headings, column labels — are written in English in the code,
  marked with :func:`N_` (or passed to :meth:`Translator.gettext`), and translated per language.
* **Messages** — warnings, reasons, notices inside results — are :class:`Message` objects: a stable
  code, parameters and a severity. Results carry only these (they serialize with ``to_dict()``);
  the text is rendered where it is shown, in the reader's language, by :meth:`Translator.render`.
  Each domain package declares its codes in its ``messages.py`` as ``MESSAGES = {code: template}``
  (a template is an English msgid, or a ``(singular, plural)`` pair counted by the ``n`` parameter).

Nothing here reads the environment or ``sys.argv``: the language is an argument.
"""

from __future__ import annotations

import gettext
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

LANGS: tuple[str, ...] = ("ja", "en")
DEFAULT_LANG = "ja"
DOMAIN = "chiiki"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

Severity = Literal["info", "warning", "error"]
Template = str | tuple[str, str]


def N_(text: str) -> str:
    """Mark ``text`` as a msgid for ``pybabel extract`` without translating it yet."""
    return text


def check_lang(lang: str) -> str:
    """``lang`` if chiiki has a catalogue for it; a ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    return lang


def _plain(value: Any) -> Any:
    """Parameters must survive ``json.dumps(..., allow_nan=False)``: floats that are not finite
    become strings, tuples become lists, anything else unknown becomes its ``str``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return str(value)


@dataclass(frozen=True)
class Message:
    """A warning, reason or notice in a result: language-free, serializable, rendered late."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = "warning"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": _plain(dict(self.params)), "severity": self.severity}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Message:
        return cls(str(d["code"]), dict(d.get("params") or {}), d.get("severity", "warning"))


def msg(code: str, severity: Severity = "warning", **params: Any) -> Message:
    """Shorthand: ``msg("factors.few_events", events=1, n=61)``."""
    return Message(code, params, severity)


@cache
def _domain_messages(prefix: str) -> Mapping[str, Template]:
    try:
        module = importlib.import_module(f"chiiki.{prefix}.messages")
    except ModuleNotFoundError:
        return {}
    return getattr(module, "MESSAGES", {})


def template_of(code: str) -> Template:
    """The English template of a message code (``factors.x`` lives in ``chiiki.factors.messages``)."""
    prefix = code.split(".", 1)[0]
    messages = _domain_messages(prefix)
    if code not in messages:
        raise KeyError(f"message code {code!r} is not declared in chiiki.{prefix}.messages")
    return messages[code]


class _Params(dict):  # type: ignore[type-arg]
    """Leaves an unknown ``{name}`` visible instead of failing the whole rendering."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """Text in one language: ``gettext``, ``ngettext``, message rendering, number formats."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.gnu: gettext.NullTranslations = gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True
        )

    def gettext(self, text: str) -> str:
        return self.gnu.gettext(text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gnu.ngettext(singular, plural, n)

    def render(self, message: Message | Mapping[str, Any]) -> str:
        """The message in this language, its parameters filled in."""
        m = message if isinstance(message, Message) else Message.from_dict(message)
        template = template_of(m.code)
        params = _Params({k: self._param(v) for k, v in m.params.items()})
        if isinstance(template, tuple):
            text = self.ngettext(template[0], template[1], int(m.params.get("n", 0) or 0))
        else:
            text = self.gettext(template)
        return text.format_map(params)

    def _param(self, value: Any) -> Any:
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, Mapping) and "code" in value and "params" in value:
            return self.render(value)
        if isinstance(value, str):
            return shorten(value)
        return value

    def list_sep(self) -> str:
        return "、" if self.lang == "ja" else ", "  # noqa: RUF001 - the Japanese list separator

    def join(self, items: list[str]) -> str:
        return self.list_sep().join(items)

    def compact(self, value: float, digits: int = 1) -> str:
        """Large numbers the way each language writes them: 1.2億 / 840万 in Japanese, 120M in English."""
        from babel.numbers import format_compact_decimal

        return format_compact_decimal(value, locale=self.lang, fraction_digits=digits)

    def yen_millions(self, value: float | None) -> str:
        """A budget held in 百万円 (millions of yen), written as people read it (8.4億円 / ¥840M)."""
        if value is None or value != value:
            return ""
        yen = value * 1_000_000
        return self.gettext("{amount} yen").format(amount=self.compact(yen))

    def decimal(self, value: float, digits: int = 3) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0." + "#" * digits, locale=self.lang)

    def date(self, value: Any) -> str:
        from babel.dates import format_date

        return format_date(value, "long", locale=self.lang)


PARAM_LIMIT = 200


def shorten(text: str, limit: int = PARAM_LIMIT) -> str:
    """A long value cut for a message or a terminal cell: its start, an ellipsis and how many
    characters were left out. A 60 KB name in an error line is unreadable and, through Rich's
    line folding, takes tens of seconds to print; the full value stays in the data and in JSON."""
    if len(text) <= limit:
        return text
    head = text[: limit - 20]
    return f"{head}…(+{len(text) - len(head):,})"


@cache
def translator(lang: str = DEFAULT_LANG) -> Translator:
    """The translator of ``lang`` (cached: catalogues are read once per process)."""
    return Translator(lang)


def render(message: Message | Mapping[str, Any], lang: str = DEFAULT_LANG) -> str:
    return translator(lang).render(message)


class MessageError(Exception):
    """Base of the domain errors the user can fix: ``message`` says what in any language,
    ``details`` why (one Message each), ``str(exc)`` is the English rendering for logs.
    Parameters hold ids, positions, option values and file names — never document text."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.message: Message = msg(code, "error", **params)
        self.details: list[Message] = []

    def __str__(self) -> str:
        return render(self.message, "en")
