"""Workbench methods of the program registry: the database's life cycle, imports, lineage,
queries and exports.

The policies that used to live in the CLI live here: ``init`` is the schema plus the bundled
registry plus the bundled hearings; an import of adoptions or links refreshes the derived data
(participations, rule links, hubs) inside its own transaction; a file with one bad row changes
nothing and says which rows, in messages. Every method returns a result with ``to_dict()``; no
ORM object leaves a method.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from chiiki.i18n import Message, msg
from chiiki.workbench.core import WorkbenchCore, as_workbench_error
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.results import Done, Table, plain

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chiiki.registry.queries import HubHistory, RegistrySummary

EXPORT_FORMATS = ("csv", "xlsx", "json")
DERIVING_TABLES = ("adoptions", "links")  # imports after which participations and hubs are rebuilt
TIMELINE_COLUMNS = ("family", "label", "programs", "follows", "first_fy", "last_fy", "per_fy", "undated", "total")
COUNTED = ("programs", "adoptions", "hubs", "organizations", "links")
HISTORY_COLUMNS = (
    "user_name",
    "imported_at",
    "file_name",
    "sha256",
    "table_name",
    "rows",
    "inserted",
    "updated",
    "unchanged",
)


@dataclass
class ImportResult:
    """What an import did. ``derived`` holds the counts of the refreshed derived data (None when
    nothing was refreshed: a dry run, ``derive=False``, or a table nothing is derived from)."""

    file: str
    table: str
    encoding: str | None
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    ignored_headers: list[str] = field(default_factory=list)
    new_programs: list[str] = field(default_factory=list)
    derived: dict[str, Any] | None = None
    warnings: list[Message] = field(default_factory=list)
    sheet: str | None = None
    header_row: int = 1
    # what the reader did to find the table (header row found, sheet chosen, merged cells filled)
    reader_notices: list[Message] = field(default_factory=list)
    # rows without an adoption_id that update an existing adoption (listed by a dry run too)
    matches: list[Message] = field(default_factory=list)
    matched: int = 0

    @property
    def message(self) -> Message:
        return msg(
            "registry.dry_run" if self.dry_run else "registry.imported",
            "info",
            file=self.file,
            table=self.table,
            encoding=self.encoding or "xlsx",
            n=self.rows,
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
        )

    @property
    def notices(self) -> list[Message]:
        """Further lines worth showing: how the table was found, rows that update an adoption,
        ignored columns, programs created, hubs refreshed."""
        out = list(self.reader_notices)
        out.extend(self.matches)
        if self.matched > len(self.matches):
            out.append(msg("registry.more_matches", "info", n=self.matched - len(self.matches)))
        if self.ignored_headers:
            out.append(msg("registry.ignored_columns", "info", columns=", ".join(self.ignored_headers)))
        if self.new_programs:
            out.append(msg("registry.new_programs", "info", programs=", ".join(self.new_programs)))
        if self.derived:
            out.append(
                msg(
                    "registry.hubs_refreshed",
                    "info",
                    hubs=self.derived["hubs"],
                    multi=self.derived["multi_adoption_hubs"],
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        fields = {k: plain(getattr(self, k)) for k in self.__dataclass_fields__}
        return {"message": self.message.to_dict(), "notices": [m.to_dict() for m in self.notices], **fields}


@dataclass(frozen=True)
class _ImportOptions:
    table: str | None
    dry_run: bool
    sheet: str | None
    derive: bool
    display_name: str | None
    progress: Callable[[int], None] | None
    header_row: int | None
    new_program: bool


@dataclass
class RegistryInfo:
    """Version, database, schema state and row counts (``counts`` empty without a schema)."""

    version: str
    db: str
    sqlite_path: str | None
    has_schema: bool
    revision: str | None
    head: str | None
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: plain(getattr(self, k)) for k in self.__dataclass_fields__}


@dataclass
class HubHistories:
    """Every hub matching ``query``, each with its whole history."""

    query: str
    hubs: list[HubHistory]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "hubs": [h.to_dict() for h in self.hubs]}


def _named(message: Message, path: Path, display_name: str | None) -> Message:
    """A reader's message with the file as the user named it (``<stdin>``, not a temp file)."""
    if display_name and message.params.get("file") == str(path):
        return Message(message.code, {**message.params, "file": display_name}, message.severity)
    return message


def _hearing_warnings(unlinked: Any) -> list[Message]:
    """Warnings of the hearings loader as messages (it gives messages, or 'key: adoption X status')."""
    import re

    out: list[Message] = []
    for item in unlinked or []:
        if isinstance(item, Message):
            out.append(item)
        elif isinstance(item, dict) and "code" in item:
            out.append(Message.from_dict(item))
        else:
            m = re.match(r"^(?P<hearing>.+): adoption (?P<adoption_id>\S+) (?P<status>missing|no_hub)$", str(item))
            if m:
                code = (
                    "registry.hearing_adoption_missing"
                    if m["status"] == "missing"
                    else "registry.hearing_adoption_no_hub"
                )
                out.append(msg(code, "warning", hearing=m["hearing"], adoption_id=m["adoption_id"]))
            else:
                out.append(msg("registry.hearing_warning", "warning", detail=str(item)))
    return out


def _fiscal_year(name: str, value: str | int | None) -> int | None:
    from chiiki.ingest.eras import parse_fiscal_year
    from chiiki.registry.imports import reason_of

    try:
        return parse_fiscal_year(value)
    except ValueError as exc:
        raise WorkbenchError(
            msg("registry.bad_filter", "error", filter=name, reason=reason_of(exc).to_dict(), value=str(value)),
            exit_code=2,
        ) from None


def _grade(name: str, value: str | None) -> str | None:
    from chiiki.ingest.values import grade
    from chiiki.registry.imports import reason_of

    try:
        return grade(value)
    except ValueError as exc:
        raise WorkbenchError(
            msg("registry.bad_filter", "error", filter=name, reason=reason_of(exc).to_dict(), value=str(value)),
            exit_code=2,
        ) from None


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 hex of a file's bytes, read in chunks (an upload of any size in constant memory)."""
    import hashlib

    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 16):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=8)
def _lossy_chars(encoding: str) -> frozenset[str]:
    """Characters ``encoding`` writes but reads back as another character (CP932 writes 〜 as the
    bytes it reads as ～, and five more): an export in it would not import back unchanged."""
    import codecs

    name = codecs.lookup(encoding).name
    if name.startswith("utf"):
        return frozenset()
    out = set()
    for i in range(0x20, 0x10000):
        if 0xD800 <= i < 0xE000:
            continue
        ch = chr(i)
        try:
            if ch.encode(name).decode(name) != ch:
                out.add(ch)
        except (UnicodeError, LookupError):
            continue
    return frozenset(out)


class _Watched:
    """A text stream that notes which characters of a lossy set went through it."""

    def __init__(self, stream: IO[str], lossy: frozenset[str]) -> None:
        self.stream, self.lossy, self.seen = stream, lossy, set[str]()

    def write(self, text: str) -> int:
        if self.lossy:
            self.seen.update(self.lossy.intersection(text))
        return self.stream.write(text)


def _lossy_warning(seen: set[str], encoding: str) -> list[Message]:
    if not seen:
        return []
    return [msg("registry.export_lossy", "warning", encoding=encoding, chars=" ".join(sorted(seen)))]


class RegistryMethods(WorkbenchCore):
    """Registry methods of :class:`chiiki.Workbench`."""

    # -- the database ---------------------------------------------------------------------------
    def init(self, bundled: bool = True) -> Done:
        """The schema, then (unless ``bundled=False``) the bundled, source-cited registry and the
        hearings of the report's Table 1. Idempotent: a second run adds nothing."""
        schema = self.ensure_schema()
        if not bundled:
            return Done(msg("registry.init_empty", "info", db=self.describe_db()), counts={"schema": schema})
        from chiiki.hearings.bundled import load_bundled_hearings
        from chiiki.registry.bundled import load_bundled

        def work(s: Session) -> tuple[list[Any], Any]:
            return load_bundled(s), plain(load_bundled_hearings(s))

        reports, hearings = self.write(work)
        inserted = sum(r.inserted for r in reports)
        counts: dict[str, Any] = {
            "schema": schema,
            "inserted": inserted,
            "updated": sum(r.updated for r in reports),
            "unchanged": sum(r.unchanged for r in reports),
            "per_table": {r.table: r.inserted for r in reports},
        }
        warnings: list[Message] = []
        if isinstance(hearings, dict):
            counts["hearings"] = {k: v for k, v in hearings.items() if isinstance(v, int)}
            warnings = _hearing_warnings(hearings.get("warnings") or hearings.get("unlinked"))
        return Done(
            msg("registry.init_loaded", "info", n=inserted, db=self.describe_db()), counts=counts, warnings=warnings
        )

    def migrate(self) -> Done:
        """Upgrade a database to this chiiki's schema (a server's only way; SQLite files upgrade
        themselves when opened)."""
        from chiiki.model.migrate import current_revision, has_schema, head_revision, upgrade

        engine = self.engine
        if not has_schema(engine):
            raise WorkbenchError(msg("registry.no_schema", "error"))
        before = current_revision(engine)
        try:
            upgrade(engine)
        except Exception as exc:
            converted = as_workbench_error(exc)
            if converted is None:
                raise
            raise converted from exc
        after = current_revision(engine)
        self._schema_ready = True
        return Done(
            msg("registry.migrated", "info", before=before or "-", after=after or head_revision(engine) or "-"),
            data={"before": before, "after": after},
        )

    def drop(self) -> Done:
        """Drop every chiiki table (tests, re-initialisation). The caller asks for confirmation."""
        from chiiki.model.migrate import drop_schema

        drop_schema(self.engine)
        self._schema_ready = False
        return Done(msg("registry.dropped", "info", db=self.describe_db()))

    def info(self) -> RegistryInfo:
        """Version, database, schema state and counts; reads only (a missing schema is reported,
        not created)."""
        from sqlalchemy import func, select
        from sqlalchemy.exc import OperationalError

        from chiiki import __version__
        from chiiki.model.migrate import current_revision, has_schema, head_revision
        from chiiki.model.registry import Adoption, Hub, LineageLink, Organization, Program

        engine = self.engine
        path = self.settings.sqlite_path
        out = RegistryInfo(__version__, self.describe_db(), str(path.resolve()) if path else None, False, None, None)
        try:
            schema = has_schema(engine)
        except OperationalError as exc:
            raise self._unreachable(exc) from exc
        if not schema:
            return out
        out.has_schema, out.revision, out.head = True, current_revision(engine), head_revision(engine)
        models = dict(zip(COUNTED, (Program, Adoption, Hub, Organization, LineageLink), strict=True))
        with engine.connect() as conn:
            for label, model in models.items():
                out.counts[label] = conn.execute(select(func.count()).select_from(model)).scalar_one()
        return out

    # -- import and lineage -----------------------------------------------------------------------
    def import_file(
        self,
        path: str | os.PathLike[str] | IO[bytes],
        table: str | None = None,
        *,
        dry_run: bool = False,
        sheet: str | None = None,
        derive: bool = True,
        display_name: str | None = None,
        progress: Callable[[int], None] | None = None,
        header_row: int | None = None,
        new_program: bool = False,
    ) -> ImportResult:
        """Import a CSV (UTF-8, UTF-8 with BOM, CP932) or XLSX file in one transaction.

        ``path`` may also be a binary stream (standard input, an upload): it is copied to a
        temporary file first. Any bad row raises :class:`WorkbenchError` with one detail message
        per row error and leaves the database unchanged. After an import of adoptions or links
        the derived data (participations, rule links, hubs) is refreshed in the same transaction,
        unless ``derive=False`` or ``dry_run``.

        The header row is found (the first row naming a table's columns, after title and note
        rows) unless ``header_row`` is given; ``sheet`` picks an XLSX sheet. A row without an
        ``adoption_id`` that matches an existing adoption (program, start FY, prefectures) updates
        it and is listed in ``matches``. An unknown program name is an error unless
        ``new_program``. Imports are serialized with other writers (:meth:`write`).
        """
        from chiiki.ingest.schema import IMPORT_SPECS

        if table is not None and table not in IMPORT_SPECS:
            raise WorkbenchError(
                msg("registry.unknown_table", "error", table=table, choices=", ".join(IMPORT_SPECS)), exit_code=2
            )
        if hasattr(path, "read"):
            suffix = Path(display_name or "").suffix or ".csv"
            with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp:
                while chunk := path.read(1 << 16):  # type: ignore[union-attr]
                    tmp.write(chunk)
            try:
                return self.import_file(
                    tmp.name,
                    table,
                    dry_run=dry_run,
                    sheet=sheet,
                    derive=derive,
                    display_name=display_name or "<stdin>",
                    progress=progress,
                    header_row=header_row,
                    new_program=new_program,
                )
            finally:
                Path(tmp.name).unlink(missing_ok=True)
        if header_row is not None and (isinstance(header_row, bool) or header_row < 1):
            raise WorkbenchError(msg("registry.bad_header_row", "error", row=str(header_row)), exit_code=2)
        options = _ImportOptions(table, dry_run, sheet, derive, display_name, progress, header_row, new_program)
        return self._import_path(Path(path), options)  # type: ignore[arg-type]

    def _import_path(self, path: Path, o: _ImportOptions) -> ImportResult:
        from chiiki.ingest.readers import ReadError
        from chiiki.registry.bundled import refresh_derived
        from chiiki.registry.imports import ImportFailed, ImportReport, import_file

        def work(s: Session) -> tuple[ImportReport, dict[str, Any] | None]:
            try:
                report = import_file(
                    s,
                    path,
                    o.table,
                    dry_run=o.dry_run,
                    sheet=o.sheet,
                    header_row=o.header_row,
                    new_program=o.new_program,
                    progress=o.progress,
                    display_name=o.display_name,
                )
            except ImportFailed as exc:
                raise WorkbenchError(exc.message, exc.details, exit_code=1) from exc
            except ReadError as exc:
                raise WorkbenchError(_named(exc.message, path, o.display_name)) from exc
            derived = None
            if report.table in DERIVING_TABLES and o.derive and not o.dry_run:
                d = refresh_derived(s)
                derived = {"participations": d.participations, **plain(d.lineage)}
            if not o.dry_run:
                self._record_import(s, path, report)
            return report, derived

        report, derived = self.write(work)
        return ImportResult(
            file=report.file,
            table=report.table,
            encoding=report.encoding,
            rows=report.rows,
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            dry_run=report.dry_run,
            ignored_headers=list(report.ignored_headers),
            new_programs=list(report.new_programs),
            derived=derived,
            sheet=report.sheet,
            header_row=report.header_row,
            reader_notices=list(report.reader_notices),
            matches=list(report.matches),
            matched=report.matched,
        )

    def _record_import(self, s: Session, path: Path, report: Any) -> None:
        """One ``import_history`` row, in the import's own transaction (kept iff the import is)."""
        from chiiki.model.registry import ImportHistory

        s.add(
            ImportHistory(
                user_name=self.settings.user,
                file_name=str(report.file)[:500],
                sha256=file_sha256(path),
                table_name=report.table,
                rows=report.rows,
                inserted=report.inserted,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        )

    def stage_upload(self, data: bytes, folder: str | os.PathLike[str], suffix: str = "") -> tuple[Path, str]:
        """Keep an uploaded file for a preview and a later confirm: written atomically into
        ``folder`` under the SHA-256 of its bytes (a name no user chooses) plus ``suffix`` (which
        tells the reader CSV from XLSX). Returns the path and the hash."""
        import hashlib

        from chiiki.ingest.atomic import write_bytes

        digest = hashlib.sha256(data).hexdigest()
        path = Path(folder) / f"{digest}{suffix}"
        if not path.is_file():
            write_bytes(path, data)
        return path, digest

    def import_history(self, limit: int = 200) -> Table:
        """The latest written imports, newest first: who, when (naive UTC), file name, SHA-256,
        table, counts."""
        from sqlalchemy import select

        from chiiki.model.registry import ImportHistory

        q = select(ImportHistory).order_by(ImportHistory.imported_at.desc(), ImportHistory.id.desc()).limit(limit)
        with self.session() as s:
            rows = [{c: getattr(h, c) for c in HISTORY_COLUMNS} for h in s.scalars(q)]
        return Table(list(HISTORY_COLUMNS), rows)

    def preview_rows(
        self,
        path: str | os.PathLike[str],
        rows: set[int],
        *,
        table: str | None = None,
        sheet: str | None = None,
        header_row: int | None = None,
    ) -> Table:
        """The cells of the given file rows (numbered as an import error names them), under the
        file's own headers, found as the import finds them: to show a refused row beside its
        error. Columns are ``row`` then the headers; the file is streamed, not loaded."""
        from chiiki.ingest.readers import ReadError, open_table
        from chiiki.registry.imports import header_test

        wanted, found = set(rows), []
        last = max(wanted, default=0)
        try:
            info, it = open_table(Path(path), sheet, header_row, is_header=None if header_row else header_test(table))
            try:
                for number, cells in it:
                    if number in wanted:
                        found.append({"row": number, **{str(k): v for k, v in cells.items()}})
                    if number >= last:
                        break
            finally:
                getattr(it, "close", lambda: None)()  # the reader's generator closes its file
        except ReadError as exc:
            raise WorkbenchError(exc.message) from exc
        return Table(["row", *(str(h) for h in info.headers)], found)

    def rebuild_lineage(self, window: int = 5, overrides: str | os.PathLike[str] | None = None) -> Done:
        """Recompute participations, rule links and hubs (stated, manual and reject links kept),
        after importing an optional override file of links — all in one transaction."""
        from chiiki.ingest.readers import ReadError
        from chiiki.registry.bundled import refresh_derived
        from chiiki.registry.imports import ImportFailed, import_file

        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise WorkbenchError(msg("registry.bad_window", "error", window=str(window)), exit_code=2)

        def work(s: Session) -> Any:
            if overrides is not None:
                try:
                    import_file(s, Path(overrides), "links")
                except ImportFailed as exc:
                    raise WorkbenchError(
                        msg("registry.overrides_failed", "error", file=exc.file, n=exc.total), exc.details
                    ) from exc
                except ReadError as exc:
                    raise WorkbenchError(exc.message) from exc
            return refresh_derived(s, window)

        d = self.write(work)
        lineage = plain(d.lineage)
        return Done(
            msg(
                "registry.lineage_rebuilt",
                "info",
                rule_links=lineage.get("rule_links"),
                fixed_links=lineage.get("fixed_links"),
                hubs=lineage.get("hubs"),
            ),
            counts={"participations": d.participations, **lineage},
        )

    def merge_adoptions(self, keep: str, absorb: str, *, dry_run: bool = False) -> Done:
        """Fold adoption ``absorb`` into ``keep`` (a duplicate made by an earlier import): every
        reference to it — participations, events, links, hearing adoption ids, citations — moves
        to ``keep``, duplicates are dropped, ``absorb`` is deleted and the hubs are refreshed, in
        one transaction. ``dry_run`` reports the counts and changes nothing. Refuses (exit 1) when
        either adoption is missing."""
        from chiiki.registry.bundled import refresh_derived
        from chiiki.registry.merge import MergeError, MergeReport, merge_adoptions

        def work(s: Session) -> tuple[MergeReport, Any]:
            try:
                report = merge_adoptions(s, keep, absorb)
            except MergeError as exc:
                raise WorkbenchError(exc.message) from exc
            if dry_run:
                s.rollback()
                return report, None
            return report, refresh_derived(s)

        report, derived = self.write(work)
        code = "registry.merge_dry_run" if dry_run else "registry.merged"
        counts: dict[str, Any] = {"moved": report.moved, "dropped": report.dropped, "filled": report.filled}
        if derived is not None:
            counts["derived"] = {"participations": derived.participations, **plain(derived.lineage)}
        return Done(
            msg(code, "info", kept=keep, absorbed=absorb, moved=report.moved, dropped=report.dropped),
            counts=counts,
            data={"changes": list(report.per_column)},
        )

    # -- queries ----------------------------------------------------------------------------------
    def summary(self) -> RegistrySummary:
        """Adoptions per program and per prefecture, grade coverage, links by basis (language-free)."""
        from chiiki.registry.queries import summary

        with self.session() as s:
            return summary(s)

    def list_adoptions(
        self,
        program: str | None = None,
        prefecture: str | None = None,
        fy_from: str | int | None = None,
        fy_to: str | int | None = None,
        grade: str | None = None,
        interim_grade: str | None = None,
        has_successor: bool | None = None,
    ) -> Table:
        """Adoptions matching every given filter. Fiscal years may be written as people write
        them (2002, FY2002, H14, or a Japanese era year); ``grade`` is the ex-post grade. A
        filter that cannot be read raises WorkbenchError with exit code 2."""
        from chiiki.registry.queries import ADOPTION_LIST_HEADINGS, list_adoptions

        lo, hi = _fiscal_year("fy_from", fy_from), _fiscal_year("fy_to", fy_to)
        final, interim = _grade("grade", grade), _grade("interim_grade", interim_grade)
        with self.session() as s:
            rows = list_adoptions(s, program, prefecture, lo, hi, final, has_successor, interim_grade=interim)
        return Table(
            list(ADOPTION_LIST_HEADINGS),
            rows,
            title=msg("registry.adoptions_title", "info", n=len(rows)),
            headings=dict(ADOPTION_LIST_HEADINGS),
        )

    def hub_histories(self, name: str) -> HubHistories:
        """Every hub whose name, key, or any adoption's id, area or title contains ``name``, each
        with its adoptions in order, the link (and its rule) that brought each in, and events."""
        from chiiki.registry.queries import find_hubs, hub_history

        with self.session() as s:
            hubs = find_hubs(s, name)
            if not hubs:
                raise WorkbenchError(msg("registry.no_hub", "error", name=name))
            return HubHistories(name, [hub_history(s, h) for h in hubs])

    def adoption(self, adoption_id: str) -> Any:
        """One adoption with every survey item, its sources, its hub, predecessors, successors
        and events (:class:`chiiki.registry.queries.AdoptionDetail`, with ``to_dict()``)."""
        from chiiki.registry.queries import adoption_detail

        with self.session() as s:
            detail = adoption_detail(s, adoption_id)
        if detail is None:
            raise WorkbenchError(msg("registry.no_adoption", "error", id=adoption_id), exit_code=1)
        return detail

    def hub(self, hub_id: int) -> Any:
        """The history of one hub by its id (:class:`chiiki.registry.queries.HubHistory`)."""
        from chiiki.registry.queries import hub_by_id, hub_history

        with self.session() as s:
            hub = hub_by_id(s, hub_id)
            if hub is None:
                raise WorkbenchError(msg("registry.no_hub", "error", name=str(hub_id)), exit_code=1)
            return hub_history(s, hub)

    def table_bytes(self, table: Table, fmt: str) -> bytes:
        """A result table as a download: CSV (UTF-8 with a BOM, so Excel reads the Japanese),
        XLSX or JSON. Cells that would start a formula are written as text, as every export is
        (:mod:`chiiki.ingest.formulas`); a Message cell is rendered in this workbench's language."""
        import csv
        import json

        from chiiki.ingest.formulas import escape_cell

        def value(v: Any) -> Any:
            if isinstance(v, Message):
                return self.render(v)
            if isinstance(v, list | tuple):
                return ", ".join(str(value(x)) for x in v)
            return v

        rows = [[value(r.get(c)) for c in table.columns] for r in table.rows]
        if fmt == "json":
            data = [dict(zip(table.columns, r, strict=True)) for r in rows]
            return json.dumps(plain(data), ensure_ascii=False, indent=1).encode("utf-8")
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows([["" if v is None else escape_cell(v) for v in r] for r in rows])
            return buf.getvalue().encode("utf-8-sig")
        if fmt == "xlsx":
            from openpyxl import Workbook

            from chiiki.ingest.formulas import text_cells

            wb = Workbook()
            ws = wb.active
            ws.append(list(table.columns))
            for r in rows:
                ws.append(r)
            text_cells(ws)
            out = io.BytesIO()
            wb.save(out)
            return out.getvalue()
        raise WorkbenchError(msg("registry.unknown_format", "error", fmt=fmt, choices="csv, xlsx, json"), exit_code=2)

    def timeline(self) -> Table:
        """Program families in policy order with selections per start FY; ``label`` is an English
        msgid (interfaces show it through the catalogue)."""
        from chiiki.registry.queries import timeline

        with self.session() as s:
            lines = timeline(s)
        rows = [
            {
                "family": ln.family,
                "label": ln.label,
                "programs": list(ln.programs),
                "follows": list(ln.follows),
                "first_fy": ln.first_fy,
                "last_fy": ln.last_fy,
                "per_fy": dict(sorted(ln.per_fy.items())),
                "undated": ln.undated,
                "total": ln.total,
            }
            for ln in lines
        ]
        return Table(list(TIMELINE_COLUMNS), rows, title=msg("registry.timeline_title", "info"))

    def organization_duplicates(self) -> Table:
        """Organization names that probably mean one body, with the reason (a message)."""
        from chiiki.registry.queries import organization_duplicates

        with self.session() as s:
            rows = organization_duplicates(s)
        return Table(["a", "b", "reason", "detail"], rows, title=msg("registry.duplicates_title", "info", n=len(rows)))

    # -- export -----------------------------------------------------------------------------------
    def export_table(
        self,
        table: str,
        fmt: str = "csv",
        out: str | os.PathLike[str] | IO[str] | IO[bytes] | None = None,
        encoding: str = "utf-8",
    ) -> Done:
        """Write a table with the English column names ``import_file`` reads back (so an export
        imported again changes nothing).

        ``out`` is a file path, a text stream, a binary stream (written in ``encoding``), or None:
        then the text is returned in ``data["text"]`` (CSV and JSON only). XLSX needs a path.
        """
        import codecs

        from chiiki.registry.export import EXPORT_TABLES

        if table not in EXPORT_TABLES:
            raise WorkbenchError(
                msg("registry.unknown_table", "error", table=table, choices=", ".join(EXPORT_TABLES)), exit_code=2
            )
        if fmt not in EXPORT_FORMATS:
            raise WorkbenchError(
                msg("registry.unknown_format", "error", fmt=fmt, choices=", ".join(EXPORT_FORMATS)), exit_code=2
            )
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise WorkbenchError(msg("registry.unknown_encoding", "error", encoding=encoding), exit_code=2) from None
        is_path = isinstance(out, str | os.PathLike)
        if fmt == "xlsx" and not is_path:
            raise WorkbenchError(msg("registry.xlsx_needs_file", "error"), exit_code=2)
        try:
            if is_path:
                return self._export_to_path(table, fmt, Path(out), encoding)  # type: ignore[arg-type]
            return self._export_to_stream(table, fmt, out, encoding)  # type: ignore[arg-type]
        except UnicodeEncodeError as exc:
            char = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else "?"
            raise WorkbenchError(
                msg("registry.unencodable", "error", table=table, encoding=encoding, char=char), exit_code=1
            ) from None

    def _write(self, table: str, fmt: str, target: Any) -> int:
        from chiiki.registry.export import export_rows, write_csv, write_json, write_xlsx

        with self.session() as s:
            cols, rows = export_rows(s, table)
            if fmt == "xlsx":
                return write_xlsx(cols, rows, target, table)
            return (write_csv if fmt == "csv" else write_json)(cols, rows, target)

    def _export_to_path(self, table: str, fmt: str, path: Path, encoding: str) -> Done:
        # written under a temporary name, fsynced and renamed (chiiki.ingest.atomic): a failed or
        # interrupted export leaves no half file, and an earlier file at ``path`` as it was
        from chiiki.ingest.atomic import atomic_open

        seen: set[str] = set()
        if fmt == "xlsx":
            n = self._write(table, fmt, path)  # write_xlsx saves atomically itself
        else:
            with atomic_open(path, "w", encoding=encoding, newline="") as fh:
                watched = _Watched(fh, _lossy_chars(encoding))
                n = self._write(table, fmt, watched)
                seen = watched.seen
        return Done(
            msg("registry.exported", "info", n=n, path=str(path)),
            counts={"rows": n},
            paths=[path],
            warnings=_lossy_warning(seen, encoding),
        )

    def _export_to_stream(self, table: str, fmt: str, out: IO[Any] | None, encoding: str) -> Done:
        data: dict[str, Any] = {}
        seen: set[str] = set()
        if out is None:
            buf = io.StringIO()
            n = self._write(table, fmt, buf)
            data["text"] = buf.getvalue()
        elif isinstance(out, io.RawIOBase | io.BufferedIOBase) or "b" in str(getattr(out, "mode", "")):
            text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)  # type: ignore[arg-type]
            try:
                watched = _Watched(text, _lossy_chars(encoding))
                n = self._write(table, fmt, watched)
                seen = watched.seen
                text.flush()
            finally:
                text.detach()
        else:
            n = self._write(table, fmt, out)
        return Done(
            msg("registry.exported_stream", "info", n=n, table=table),
            counts={"rows": n},
            data=data,
            warnings=_lossy_warning(seen, encoding),
        )
