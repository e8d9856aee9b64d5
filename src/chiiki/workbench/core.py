"""The Workbench's own machinery: its database, its sessions, its language.

Policies (what a viewer may see, what an import refreshes, which chapters a report has) live in
the methods of the mixins beside this module; this one only opens the database the way every
method needs it — the schema made current once per workbench, one transaction per call, domain
errors turned into :class:`~chiiki.workbench.errors.WorkbenchError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from chiiki.i18n import Message, Translator, msg, translator
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.settings import Settings, url_of

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


class WorkbenchCore:
    """Database and language of one workbench; see :class:`chiiki.Workbench` for the methods."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._schema_ready = False

    @classmethod
    def open(cls, path_or_url: str | os.PathLike[str], lang: str = "ja", **options: Any) -> Any:
        """A workbench on an SQLite file (a path) or a server (a URL)."""
        return cls(Settings(db_url=url_of(path_or_url), lang=lang, **options))

    # -- language ---------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.settings.lang

    @property
    def tr(self) -> Translator:
        return translator(self.settings.lang)

    def render(self, message: Message) -> str:
        return self.tr.render(message)

    # -- database ---------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        from chiiki.model.db import get_engine

        return get_engine(self.settings.db_url)

    def describe_db(self) -> str:
        """The database URL with any password masked."""
        from chiiki.model.db import describe_url

        return describe_url(self.settings.db_url)

    def ensure_schema(self, create: bool = True) -> str:
        """Create a new database's schema, upgrade a local SQLite file (after a backup), or stop
        with a one-line error for a server that `chiiki db migrate` must upgrade.

        ``create=False`` (what every method but ``init`` and ``generate_demo`` uses) refuses an
        SQLite file that does not exist: a read in the wrong folder or with a mistyped ``--db``
        must not create an empty database and report zero counts."""
        from chiiki.model.migrate import MigrationError, ensure_schema

        path = self.settings.sqlite_path
        if not create and path is not None and not path.exists():
            raise WorkbenchError(msg("workbench.no_database", "error", path=str(path)))

        try:
            done = ensure_schema(self.engine)
        except MigrationError as exc:
            details = list(getattr(exc, "details", []) or [])
            raise WorkbenchError(_domain_message(exc, "workbench.schema_outdated"), details) from exc
        self._schema_ready = True
        return done

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back on any error."""
        from chiiki.model.db import session_scope

        if not self._schema_ready:
            self.ensure_schema(create=False)
        try:
            with session_scope(self.settings.db_url) as session:
                yield session
        except WorkbenchError:
            raise
        except Exception as exc:
            converted = as_workbench_error(exc)
            if converted is None:
                raise
            raise converted from exc

    def close(self) -> None:
        """Release the database connections of this workbench's URL."""
        self.engine.dispose()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- personal data ------------------------------------------------------------------------
    def personal_allowed(self, include_personal: bool) -> bool:
        """The one personal-data rule: text of documents flagged as personal, and the names the
        hearing records know, leave the tool only when the caller asks *and* may see them."""
        if include_personal and not self.settings.allow_personal:
            raise WorkbenchError(msg("workbench.personal_not_allowed", "error", user=self.settings.user))
        return bool(include_personal)


def _domain_message(exc: BaseException, fallback_code: str) -> Message:
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return message
    first = (str(exc).strip().splitlines() or [""])[0]
    return msg(fallback_code, "error", detail=first)


def as_workbench_error(exc: BaseException) -> WorkbenchError | None:
    """The WorkbenchError for a domain exception the user can act on, None for a bug.

    Domain packages raise their own exception classes (with a ``message`` attribute when they
    carry a Message); this is the one place that knows which of them are the user's to fix.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from chiiki.factors.errors import FactorsError
    from chiiki.hearings.errors import HearingsError
    from chiiki.ingest.readers import ReadError
    from chiiki.model.migrate import MigrationError
    from chiiki.text.errors import TextError

    if isinstance(exc, HearingsError | FactorsError | ReadError | MigrationError | TextError):
        details = [getattr(e, "message", e) for e in getattr(exc, "details", [])]
        return WorkbenchError(_domain_message(exc, "workbench.user_error"), details)
    if isinstance(exc, OperationalError | ProgrammingError):
        text = str(getattr(exc, "orig", exc))
        if "no such table" in text or "does not exist" in text:
            return WorkbenchError(msg("workbench.schema_missing", "error"))
        return WorkbenchError(msg("workbench.database_error", "error", detail=text.splitlines()[0] if text else ""))
    return None
