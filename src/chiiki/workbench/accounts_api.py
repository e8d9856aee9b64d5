"""Workbench methods for the accounts of the web workbench: users, roles, API tokens, sign-in links.

Who may see what is decided by the role, on the server: :meth:`AccountsMethods.as_user` gives a
workbench whose settings carry the user's name and ``allow_personal`` (admins and researchers
only), so the one personal-data rule (:meth:`WorkbenchCore.personal_allowed`) applies to every
method the web app calls. Passwords and tokens never leave these methods except the new one a
call makes, returned once; nothing here logs them.

Sign-in checks read without the writer lock (a long import must not block signing in); the
rare writes they cause — a password hash with outdated parameters, a token's ``last_used_at`` —
are separate short write transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from chiiki.i18n import msg
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.results import Done, Table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chiiki.accounts.users import Account

T = TypeVar("T")
PERSONAL_ROLES = frozenset({"admin", "researcher"})
USER_COLUMNS = ["name", "role", "created_at", "disabled"]


@dataclass(frozen=True)
class UserInfo:
    """A signed-in user as the interfaces know them: id, name and role (never a hash)."""

    id: int
    name: str
    role: str

    @property
    def may_see_personal(self) -> bool:
        """Transcript text and interviewee names are for admins and researchers only."""
        return self.role in PERSONAL_ROLES

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role, "may_see_personal": self.may_see_personal}


def _info(account: Account | None) -> UserInfo | None:
    return None if account is None else UserInfo(id=account.id, name=account.name, role=account.role)


class AccountsMethods(WorkbenchCore):
    """Users, tokens and sign-in links; see the module docstring."""

    @contextmanager
    def _accounts(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose accounts errors become WorkbenchErrors (one transaction)."""
        from chiiki.accounts.errors import AccountsError

        try:
            with self.session(write=write) as session:
                yield session
        except AccountsError as exc:
            raise WorkbenchError(exc.message) from exc

    def _run(self, work: Callable[[Session], T], *, write: bool = False) -> T:
        with self._accounts(write=write) as session:
            return work(session)

    # -- managing users ---------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str | None = None) -> Done:
        """Add a user with ``role`` (a code or its label, 管理者 …). Without ``password`` one is
        generated and returned in ``data["password"]`` — the only time it is seen. A password
        shorter than 8 characters or a taken name is refused (``accounts.*`` WorkbenchError)."""
        from chiiki.accounts import users

        account, generated = self._run(lambda s: users.add(s, name, role, password), write=True)
        return Done(
            msg("accounts.user_added", "info", name=account.name, role=account.role),
            counts={"users": 1},
            data={"name": account.name, "role": account.role, "password": generated},
        )

    def list_users(self) -> Table:
        """Every user: name, role, created_at, disabled (no hashes)."""
        from chiiki.accounts import users

        rows = self._run(users.rows)
        return Table(list(USER_COLUMNS), rows, title=msg("accounts.users_title", "info"))

    def new_token(self, name: str, label: str = "") -> Done:
        """A new API token for user ``name`` in ``data["token"]`` (shown once; only its hash is kept)."""
        from chiiki.accounts import users

        token = self._run(lambda s: users.new_api_token(s, name, label), write=True)
        shown = users.normalize_name(name)
        return Done(msg("accounts.token_created", "info", name=shown), data={"name": shown, "token": token})

    def ensure_local_admin(self) -> str:
        """The name of an enabled admin, made (``admin``, a password nobody knows) if there is none."""
        from chiiki.accounts import users

        return self._run(users.ensure_local_admin, write=True)

    # -- signing in -----------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> UserInfo | None:
        """The user if ``password`` is right and the account enabled, else None. An unknown name
        takes as long as a wrong password (verified against a dummy hash)."""
        from chiiki.accounts import users

        verdict = self._run(lambda s: users.check_password(s, name, password))
        if verdict.account is not None and verdict.rehash:
            account_id = verdict.account.id
            self._run(lambda s: users.rehash(s, account_id, password), write=True)
        return _info(verdict.account)

    def user_for_token(self, token: str) -> UserInfo | None:
        """The enabled user of an API token (``Authorization: Bearer``), or None; marks the
        token used (``last_used_at``, refreshed at most once a minute)."""
        from chiiki.accounts import users

        owner = self._run(lambda s: users.token_owner(s, token))
        if owner is None:
            return None
        if owner.stale:
            token_id = owner.token_id
            self._run(lambda s: users.touch_token(s, token_id), write=True)
        return _info(owner.account)

    def user_by_id(self, user_id: int) -> UserInfo | None:
        """The user as they are now (role, enabled), or None when deleted or disabled."""
        from chiiki.accounts import users

        return _info(self._run(lambda s: users.enabled_account(s, user_id)))

    def signin_link(self, name: str, ttl_seconds: int = 600) -> str:
        """A one-time sign-in token for user ``name``, valid ``ttl_seconds`` (the web app makes
        the link ``/signin/<token>`` of it)."""
        from chiiki.accounts import users

        return self._run(lambda s: users.new_signin_link(s, name, ttl_seconds), write=True)

    def consume_signin(self, token: str) -> UserInfo | None:
        """The user of a sign-in token, the link spent in the same transaction; None when it is
        unknown, expired, already used or the user disabled."""
        from chiiki.accounts import users

        return _info(self._run(lambda s: users.consume_signin(s, token), write=True))

    # -- a workbench per user and language ----------------------------------------------------
    def as_user(self, user: UserInfo) -> Any:
        """A workbench on the same database and language, seeing what ``user``'s role may see."""
        settings = replace(self.settings, user=user.name, allow_personal=user.may_see_personal)
        return self._sibling(settings)

    def with_lang(self, lang: str) -> Any:
        """The same workbench speaking ``lang``."""
        return self._sibling(self.settings.with_lang(lang))

    def _sibling(self, settings: Any) -> Any:
        other = type(self)(settings)
        other._schema_ready = self._schema_ready
        return other
