"""Named warnings and errors of the key-factor engine.

Small-sample problems (separation, empty cells, too few cases) are *reported* in results as
warning strings; these classes exist so callers can filter or catch them by name instead of
matching on a bare ``ValueError`` message (the lifelines habit, see STYLE.md).
"""

from __future__ import annotations


class FactorsWarning(UserWarning):
    """Base class for statistical warnings raised by :mod:`chiiki.factors`."""


class SeparationWarning(FactorsWarning):
    """A factor perfectly (or quasi-perfectly) separates the outcome."""


class SmallSampleWarning(FactorsWarning):
    """Too few usable cases for a method to be informative."""


class FactorsError(Exception):
    """Base class for errors of :mod:`chiiki.factors`."""


class UnknownFactorError(FactorsError, KeyError):
    """A factor name that is not in the registry."""


class DemoDatabaseError(FactorsError):
    """Refused to write synthetic data into a database that holds other data."""


class QCAInputError(FactorsError, ValueError):
    """Set-membership data outside [0, 1], or missing conditions/outcome."""
