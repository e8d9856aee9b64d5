"""Named errors of the accounts package, each carrying a :class:`~chiiki.i18n.Message`.

Parameters hold user names, roles and lengths — never a password or a token.
"""

from __future__ import annotations

from chiiki.i18n import MessageError


class AccountsError(MessageError):
    """Base class: anything the user can fix by changing an argument."""


class UserExistsError(AccountsError, ValueError):
    """A user of that name is already there (names are unique)."""


class UserNotFoundError(AccountsError, LookupError):
    """No user of that name."""


class BadPasswordError(AccountsError, ValueError):
    """A password chiiki refuses to store (too short)."""


class BadValueError(AccountsError, ValueError):
    """An unknown role, an empty or overlong name, a negative lifetime."""
