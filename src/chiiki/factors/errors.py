"""Named warnings and errors of the key-factor engine.

Small-sample problems (separation, empty cells, too few cases) are *reported* in results as
warning messages (:class:`chiiki.i18n.Message`, codes ``factors.*``); these classes exist so
callers can filter or catch them by name instead of matching on a bare ``ValueError`` message (the
lifelines habit, see STYLE.md). An error carries its :class:`~chiiki.i18n.Message` as ``message``
(the Workbench shows it in the user's language); ``str(error)`` is the English text, for logs.
"""

from __future__ import annotations

from typing import Any

from chiiki.i18n import Message, msg


class FactorsWarning(UserWarning):
    """Base class for statistical warnings raised by :mod:`chiiki.factors`."""


class SeparationWarning(FactorsWarning):
    """A factor perfectly (or quasi-perfectly) separates the outcome."""


class SmallSampleWarning(FactorsWarning):
    """Too few usable cases for a method to be informative."""


class FactorsError(Exception):
    """Base class for errors of :mod:`chiiki.factors`; ``message`` says what is wrong."""

    default_code = "factors.unknown_factor"

    def __init__(self, message: Message | str, details: list[Message] | None = None, **params: Any) -> None:
        if not isinstance(message, Message):
            message = msg(self.default_code, "error", name=str(message), **params)
        self.message = message
        self.details = list(details or [])
        super().__init__(message.code)

    def __str__(self) -> str:
        from chiiki.i18n import render

        return render(self.message, "en")


class UnknownFactorError(FactorsError, KeyError):
    """A factor name that is not in the registry (``UnknownFactorError("nope")``)."""

    default_code = "factors.unknown_factor"


class DemoDatabaseError(FactorsError):
    """Refused to write synthetic data into a database that holds other data."""


class QCAInputError(FactorsError, ValueError):
    """Set-membership data outside [0, 1], or missing conditions/outcome."""
