"""The Workbench's own machinery: its database, its sessions, its language.

Policies (what a viewer may see, what an import refreshes, which chapters a report has) live in
the methods of the mixins beside this module; this one only opens the database the way every
method needs it — the schema made current once per workbench, one transaction per call, domain
errors turned into :class:`~chiiki.workbench.errors.WorkbenchError`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from chiiki.i18n import Message, Translator, msg, translator
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.settings import Settings, url_of

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

T = TypeVar("T")
WRITE_ATTEMPTS = 3  # a write that lost a race is tried this many times in all
# SQLSTATEs of a lost race (unique violation, serialization failure, deadlock) and of a lock not
# obtained in time (lock_timeout)
_RACE_STATES = frozenset({"23505", "40001", "40P01"})
_BUSY_STATES = frozenset({"55P03"})


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

        from sqlalchemy.exc import OperationalError

        try:
            done = ensure_schema(self.engine)
        except MigrationError as exc:
            details = list(getattr(exc, "details", []) or [])
            raise WorkbenchError(_domain_message(exc, "workbench.schema_outdated"), details) from exc
        except OperationalError as exc:
            raise self._unreachable(exc) from exc
        self._schema_ready = True
        return done

    def _unreachable(self, exc: BaseException) -> WorkbenchError:
        """A server that refuses the connection: a mistyped database name says so in one line
        (only ``db init`` creates a database, and on a server not even it: the administrator does)."""
        text = str(getattr(exc, "orig", exc))
        if "does not exist" in text and "database" in text:
            return WorkbenchError(msg("registry.no_server_database", "error", db=self.describe_db()))
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        return WorkbenchError(msg("registry.database_unreachable", "error", db=self.describe_db(), detail=first))

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back on any error. ``write=True``
        takes the writer lock first (:func:`chiiki.model.db.session_scope`); :meth:`write` also
        retries a transaction that lost a race."""
        from chiiki.model.db import session_scope

        if not self._schema_ready:
            self.ensure_schema(create=False)
        try:
            with session_scope(self.settings.db_url, write=write) as session:
                yield session
        except WorkbenchError:
            raise
        except Exception as exc:
            converted = as_workbench_error(exc)
            if converted is None:
                raise
            raise converted from exc

    def write(self, work: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work(session)`` in one write transaction, under the writer lock.

        Writers that take the lock never race; one that does not (another tool, an older chiiki)
        can still make this transaction fail with a unique violation, a serialization failure
        or a deadlock. Then nothing of it was kept, and it is run again from the start, at most
        ``attempts`` times in all; after that, or when the lock was not obtained in time, a
        one-line error says what happened (never a raw traceback, never a silently lost write).
        """
        from chiiki.model.db import WRITE_WAIT_SECONDS, session_scope

        if not self._schema_ready:
            self.ensure_schema(create=False)
        for attempt in range(1, attempts + 1):
            try:
                with session_scope(self.settings.db_url, write=True) as session:
                    return work(session)
            except WorkbenchError:
                raise
            except Exception as exc:
                kind = _contention(exc)
                if kind == "race" and attempt < attempts:
                    time.sleep(0.25 * attempt)
                    continue
                if kind == "race":
                    detail = _first_line(exc)
                    raise WorkbenchError(
                        msg("registry.write_conflict", "error", attempts=attempts, detail=detail)
                    ) from exc
                if kind == "busy":
                    raise WorkbenchError(
                        msg("registry.database_busy", "error", db=self.describe_db(), seconds=WRITE_WAIT_SECONDS)
                    ) from exc
                converted = as_workbench_error(exc)
                if converted is None:
                    raise
                raise converted from exc
        raise AssertionError("unreachable")  # pragma: no cover

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


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc))
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), type(exc).__name__)


def _contention(exc: BaseException) -> str | None:
    """'race' for a transaction that lost to a concurrent writer, 'busy' for a writer lock not
    obtained in time, None for anything else."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _RACE_STATES:
        return "race"
    if state in _BUSY_STATES:
        return "busy"
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text:
        return "busy"
    if "unique constraint failed" in text:
        return "race"
    return None


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
