"""Errors of the text-mining engine, each carrying a :class:`~chiiki.i18n.Message`.

They stay ``ValueError`` subclasses (a bad option is a bad value); ``message`` says what in any
language (codes in :mod:`chiiki.text.messages`), ``str(exc)`` is the English rendering. Parameters
hold option values, rule text the user wrote and positions — never document text.
"""

from __future__ import annotations

from typing import Any

from chiiki.i18n import Message, msg


class TextError(ValueError):
    """Base class: an option or rule the user can correct."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.message: Message = msg(code, "error", **params)
        self.details: list[Message] = []

    def __str__(self) -> str:
        from chiiki.i18n import render

        return render(self.message, "en")
