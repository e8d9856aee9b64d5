"""Named errors of the hearings/QDA package, each carrying a :class:`~chiiki.i18n.Message`.

Every error is something the user can fix (a name, an offset, a file). The message code and its
parameters say what, in any language (codes in :mod:`chiiki.hearings.messages`); ``str(exc)``
is the English rendering, for logs. Privacy: parameters never hold document text — only ids,
offsets, option values and file names — so a traceback cannot carry a transcript.
"""

from __future__ import annotations

from typing import Any

from chiiki.i18n import MessageError


class HearingsError(MessageError):
    """Base class: anything the user can fix by changing an argument or a file."""


class NotFoundError(HearingsError, LookupError):
    """A hearing, document, code or hub that the user named does not exist."""


class OffsetError(HearingsError, ValueError):
    """Segment offsets outside the document or start >= end."""


class SearchNotFoundError(HearingsError, LookupError):
    """A search string to code does not occur in the document."""


class DecodeError(HearingsError, ValueError):
    """A file's encoding could not be determined (not UTF-8, UTF-8-BOM or CP932)."""


class UnsupportedFormatError(HearingsError, ValueError):
    """A file type we cannot import (only .txt, .md and .docx)."""


class SchemaValidationError(HearingsError, ValueError):
    """A REFI-QDA file that does not conform to the published schema."""


class DuplicateDocumentError(HearingsError, ValueError):
    """The text is already stored (same content hash) as document ``existing``.

    ``same_hearing`` True means the same content into the same hearing (or both without one):
    the caller treats that as an idempotent no-op; anything else is a refusal.
    """

    def __init__(self, code: str, *, existing: int, same_hearing: bool, **params: object) -> None:
        super().__init__(code, id=existing, **params)
        self.existing = existing
        self.same_hearing = same_hearing


class OptionError(HearingsError, ValueError):
    """An option value outside its allowed set (unit, matrix dimension, export format)."""


def choice(enum: Any, value: object, option: str) -> str:
    """``value`` as the stored string of ``enum`` (a :mod:`chiiki.model.enums` class), or an
    :class:`OptionError` naming the option and the allowed values."""
    from chiiki.model.enums import validate, values

    try:
        return validate(enum, value)
    except ValueError:
        raise OptionError(
            "hearings.bad_choice", option=option, value=str(value), choices=", ".join(values(enum))
        ) from None


def one_of(value: str, allowed: tuple[str, ...], option: str) -> str:
    """``value`` if it is one of ``allowed``; an :class:`OptionError` otherwise."""
    if value not in allowed:
        raise OptionError("hearings.bad_choice", option=option, value=str(value), choices=", ".join(allowed))
    return value
