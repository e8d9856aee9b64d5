"""Named errors and warnings of the hearings/QDA package (instead of bare ValueError)."""

from __future__ import annotations


class HearingsError(Exception):
    """Base class: anything the user can fix by changing an argument or a file."""


class NotFoundError(HearingsError, LookupError):
    """A hearing, document or code that the user named does not exist."""


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


class OptionError(HearingsError, ValueError):
    """An option value outside its allowed set (unit, matrix dimension, export format)."""


class SmallSampleWarning(UserWarning):
    """Too few units for an agreement statistic to mean much (reported, not raised)."""
