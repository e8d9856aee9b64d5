"""Errors of the text-mining engine, each carrying a :class:`~chiiki.i18n.Message`.

They stay ``ValueError`` subclasses (a bad option is a bad value); ``message`` says what in any
language (codes in :mod:`chiiki.text.messages`), ``str(exc)`` is the English rendering. Parameters
hold option values, rule text the user wrote and positions — never document text.
"""

from __future__ import annotations

from chiiki.i18n import MessageError


class TextError(MessageError, ValueError):
    """Base class: an option or rule the user can correct."""
