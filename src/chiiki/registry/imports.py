"""`chiiki import`: validate a whole file, then write it in one transaction or not at all.

Rows are parsed and written in batches so memory stays flat on a 100,000-row file; every error
is collected with file, row, column, value and reason (a message code, rendered in the user's
language where it is shown), and any error makes the caller roll back.
Writes go through SQLAlchemy Core (executemany) rather than the ORM unit of work: per-row ORM
objects cost ~20× more and the goal is to stay within 2× of a plain `sqlite-utils insert`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from chiiki.i18n import Message, msg, render
from chiiki.ingest.normalize import org_key, split_list, text_key
from chiiki.ingest.places import canonical_prefecture
from chiiki.ingest.readers import open_table
from chiiki.ingest.schema import ADOPTIONS, IMPORT_SPECS, PROGRAMS, TableSpec, guess_spec, map_headers
from chiiki.model.enums import EventKind, LinkBasis, OrgKind, ParticipationRole, validate, values
from chiiki.model.registry import (
    Adoption,
    LineageLink,
    Organization,
    Participation,
    PostProgramEvent,
    Program,
)
from chiiki.registry.families import family_of
from chiiki.registry.organizations import ADOPTION_RECORDING_COLUMNS
from chiiki.registry.sources import set_citations, split_urls

MAX_LISTED_ERRORS = 200
MANUAL_RULE = "manual link (imported)"  # the stored rule of a link given without one


@dataclass(frozen=True)
class RowError:
    """One refused cell or row: where it is, what it held, and why (``reason``, a message)."""

    file: str
    row: int
    column: str
    value: object
    reason: Message

    @property
    def message(self) -> Message:
        """The whole error as one message (``registry.row_error`` / ``registry.row_error_value``)."""
        code = "registry.row_error" if self.value is None else "registry.row_error_value"
        value = self.value if self.value is None or isinstance(self.value, int | float | str) else str(self.value)
        return msg(
            code, "error", file=self.file, row=self.row, column=self.column, value=value, reason=self.reason.to_dict()
        )

    def __str__(self) -> str:  # English, for logs
        return render(self.message, "en")


class CellError(ValueError):
    """A row-level problem that belongs to one column (reported under that column's header)."""

    def __init__(self, column: str, code: str, value: object = None, **params: Any) -> None:
        super().__init__(code)
        self.column, self.value = column, value
        self.message = msg(code, "error", **params)

    def __str__(self) -> str:
        return render(self.message, "en")


class ImportFailed(Exception):
    """Raised after the whole file was checked; nothing of it is kept.

    ``message`` says so (``registry.import_failed``); ``details`` has one message per listed row
    error (the first :data:`MAX_LISTED_ERRORS`), then how many more there were.
    """

    def __init__(self, file: str, errors: list[RowError], total: int) -> None:
        self.file, self.errors, self.total = file, errors, total
        super().__init__(str(self))

    @property
    def message(self) -> Message:
        return msg("registry.import_failed", "error", file=self.file, n=self.total)

    @property
    def details(self) -> list[Message]:
        out = [e.message for e in self.errors]
        if self.total > len(self.errors):
            out.append(msg("registry.more_errors", "error", n=self.total - len(self.errors)))
        return out

    def __str__(self) -> str:
        return render(self.message, "en")


@dataclass
class ImportReport:
    file: str
    table: str
    encoding: str | None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    new_programs: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Errors:
    def __init__(self, file: str) -> None:
        self.file, self.total = file, 0
        self.items: list[RowError] = []

    def add(self, row: int, column: str, value: object, reason: Message) -> None:
        self.total += 1
        if len(self.items) < MAX_LISTED_ERRORS:
            self.items.append(RowError(self.file, row, column, value, reason))


def _upsert(session: Session, table: Table, pk: str, rows: list[dict]) -> tuple[int, int, int]:
    """Insert new rows, update changed ones, count unchanged ones (natural-key upsert)."""
    if not rows:
        return 0, 0, 0
    cols = list(rows[0])
    existing = {
        r[pk]: r
        for r in session.execute(
            select(*[table.c[c] for c in cols]).where(table.c[pk].in_([r[pk] for r in rows]))
        ).mappings()
    }
    new, changed = [], []
    for r in rows:
        old = existing.get(r[pk])
        if old is None:
            new.append(r)
        elif any(old[c] != r[c] for c in cols):
            changed.append(r)
    if new:
        session.execute(insert(table), new)
    if changed:
        stmt = (
            update(table)
            .where(table.c[pk] == bindparam("b_pk"))
            .values({c: bindparam("b_" + c) for c in cols if c != pk})
        )
        session.execute(stmt, [{"b_pk": r[pk], **{"b_" + c: r[c] for c in cols if c != pk}} for r in changed])
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def generated_adoption_id(program_id: str, start_fy: int | None, region: str | None, title: str | None) -> str:
    """A deterministic id for files without one, so importing them twice adds nothing."""
    digest = hashlib.sha1(f"{text_key(region)}|{text_key(title)}".encode()).hexdigest()[:8]
    return f"{program_id}-{start_fy or 'x'}-{digest}"


class _ProgramResolver:
    """Program by id or by name (NFKC); unknown names become new programs, unknown ids errors."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        for pid, name in session.execute(select(Program.id, Program.name_ja)):
            self.ids.add(pid)
            self.by_name[text_key(name)] = pid
        self.created: list[str] = []

    def resolve(self, program_id: str | None, name: str | None) -> str:
        if program_id:
            if program_id not in self.ids:
                raise CellError("program_id", "registry.unknown_program_id", program_id=program_id)
            return program_id
        if not name:
            raise CellError("program_name", "registry.no_program")
        key = text_key(name)
        if key in self.by_name:
            return self.by_name[key]
        pid = "P-" + hashlib.sha1(key.encode()).hexdigest()[:8]
        self.session.add(Program(id=pid, name_ja=name, family=pid))
        self.session.flush()
        self.ids.add(pid)
        self.by_name[key] = pid
        self.created.append(name)
        return pid


def _parse_row(spec: TableSpec, mapping: dict[str, str], raw: dict, number: int, errors: _Errors) -> dict | None:
    parsed: dict[str, object] = {}
    ok = True
    cols = {c.name: c for c in spec.columns}
    for header, name in mapping.items():
        value = raw.get(header)
        try:
            parsed[name] = cols[name].parse(value)
        except ValueError as exc:
            errors.add(number, header, value, reason_of(exc))
            ok = False
    for col in spec.columns:
        parsed.setdefault(col.name, None)
        if col.required and parsed[col.name] is None and ok:
            header = next((h for h, name in mapping.items() if name == col.name), col.name)
            errors.add(number, header, None, msg("registry.required_value_empty", "error"))
            ok = False
    return parsed if ok else None


def _columns_of(spec: TableSpec) -> TableSpec:
    """The columns an import file of ``spec`` may carry: the adoption spec plus the recording columns.

    ``participants_recorded`` and ``final_evaluation_fy`` (issue 8) are declared with their
    Japanese headings in :mod:`chiiki.registry.organizations`; a column the spec already has is
    not added twice. ``spec`` itself stays the identity the import branches on.
    """
    if spec is not ADOPTIONS:
        return spec
    have = set(spec.column_names())
    extra = tuple(c for c in ADOPTION_RECORDING_COLUMNS if c.name not in have)
    return dataclasses.replace(spec, columns=spec.columns + extra) if extra else spec


def _adoption_record(p: dict, programs: _ProgramResolver) -> dict:
    pid = programs.resolve(p["program_id"], p["program_name"])
    start, end = p["start_fy"], p["end_fy"]
    if start is not None and end is not None and end < start:
        raise CellError("end_fy", "registry.end_before_start", end=end, start=start)
    evaluated = p.get("final_evaluation_fy")
    # An ex-post evaluation (事後評価) cannot precede the last year it evaluates (a 終了評価 in the
    # final year is allowed), nor, without an end year, the start.
    bound, bound_column = (end, "end_fy") if end is not None else (start, "start_fy")
    if evaluated is not None and bound is not None and evaluated < bound:
        raise CellError(
            "final_evaluation_fy",
            "registry.evaluation_before_program",
            evaluated,
            fy=evaluated,
            field=bound_column,
            bound=bound,
        )
    if not (p["region_name"] or p["title"]):
        raise CellError("region_name", "registry.no_region_or_title")
    for pref in split_list(p["prefectures"]):
        if canonical_prefecture(pref) is None:
            raise CellError("prefectures", "registry.not_a_prefecture", name=pref)
    duration = p["duration_years"]
    if duration is None and start is not None and end is not None:
        duration = end - start + 1
    return {
        "id": p["adoption_id"] or generated_adoption_id(pid, start, p["region_name"], p["title"]),
        "program_id": pid,
        **{
            k: p[k]
            for k in (
                "phase",
                "region_name",
                "prefectures",
                "municipalities",
                "title",
                "core_institution",
                "start_fy",
                "end_fy",
            )
        },
        "duration_years": duration,
        **{
            k: p[k]
            for k in (
                "budget_total_million_yen",
                "budget_note",
                "interim_grade",
                "final_grade",
                "grade_scale",
                "universities",
                "n_institutions",
                "n_companies",
                "pd_name",
                "notes",
                "source_urls",
            )
        },
        "participants_recorded": p.get("participants_recorded"),
        "final_evaluation_fy": evaluated,
    }


def _program_record(p: dict) -> dict:
    return {
        "id": p["program_id"],
        "name_ja": p["name_ja"],
        "name_en": p["name_en"],
        "agency": p["agency"],
        "type": p["type"],
        "family": p["family"] or family_of(p["program_id"]),
        "first_fy": p["first_fy"],
        "last_fy": p["last_fy"],
        "duration_years": p["duration_years"],
        "budget_note": p["budget_note"],
        "evaluation_scale": p["evaluation_scale"],
        "predecessor_id": p["predecessor_program_id"],
        "source_urls": p["source_urls"],
    }


class _BatchWriter:
    """Collects records of one table and writes them in batches."""

    def __init__(self, session: Session, spec: TableSpec, report: ImportReport, batch_size: int) -> None:
        self.session, self.spec, self.report, self.batch_size = session, spec, report, batch_size
        self.pending: list[dict] = []
        self.pending_rows: list[int] = []

    def add(self, record: dict, row: int) -> None:
        self.pending.append(record)
        self.pending_rows.append(row)
        # Programs are few and may name a predecessor later in the file: write them in one go.
        if len(self.pending) >= self.batch_size and self.spec is not PROGRAMS:
            self.flush()

    def check_predecessors(self, errors: _Errors) -> None:
        """Every predecessor must exist; order the batch so predecessors are written first."""
        known = set(self.session.scalars(select(Program.id))) | {r["id"] for r in self.pending}
        by_id = {r["id"]: r for r in self.pending}
        for r, row in zip(self.pending, self.pending_rows, strict=True):
            pred = r.get("predecessor_id")
            if pred and pred not in known:
                errors.add(row, "predecessor_program_id", pred, msg("registry.unknown_predecessor", "error"))

        def depth(pid: str, seen: frozenset[str] = frozenset()) -> int:
            pred = by_id[pid].get("predecessor_id")
            if not pred or pred not in by_id or pred in seen:
                return 0
            return 1 + depth(pred, seen | {pid})

        order = sorted(range(len(self.pending)), key=lambda i: depth(self.pending[i]["id"]))
        self.pending = [self.pending[i] for i in order]
        self.pending_rows = [self.pending_rows[i] for i in order]

    def flush(self) -> None:
        if not self.pending:
            return
        name = self.spec.name
        if name in ("adoptions", "programs"):
            table = Adoption.__table__ if name == "adoptions" else Program.__table__
            ins, upd, same = _upsert(self.session, table, "id", self.pending)  # type: ignore[arg-type]
            entity = "adoption" if name == "adoptions" else "program"
            if "source_urls" in self.pending[0]:
                set_citations(self.session, entity, {r["id"]: split_urls(r["source_urls"]) for r in self.pending})
        else:
            ins, upd, same = _write_small(self.session, name, self.pending)
        self.report.inserted += ins
        self.report.updated += upd
        self.report.unchanged += same
        self.pending, self.pending_rows = [], []


def _existing_adoptions(session: Session, ids: set[str]) -> set[str]:
    found: set[str] = set()
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        found.update(session.scalars(select(Adoption.id).where(Adoption.id.in_(id_list[start : start + 500]))))
    return found


def _upsert_orm(session: Session, model: type, key: dict, values: dict) -> int:
    """Insert or update one row found by its natural key; 0 inserted, 1 updated, 2 unchanged."""
    obj = session.scalar(select(model).filter_by(**key))
    if obj is None:
        session.add(model(**key, **values))
        return 0
    if all(getattr(obj, k) == v for k, v in values.items()):
        return 2
    for k, v in values.items():
        setattr(obj, k, v)
    return 1


def _small_row(session: Session, name: str, r: dict) -> tuple[type, dict, dict]:
    """(model, natural key, other values) of one row of a small table."""
    if name == "organizations":
        return (
            Organization,
            {"key": r["key"] or org_key(r["name"])},
            {"name": r["name"], "kind": r["kind"] or "other", "prefecture": r["prefecture"]},
        )
    if name == "participations":
        org = get_or_create_org(session, r["organization"], r["kind"])
        return (
            Participation,
            {"adoption_id": r["adoption_id"], "organization_id": org.id, "role": r["role"]},
            {"note": r["note"]},
        )
    if name == "links":
        basis = r["basis"] or "manual"
        return (
            LineageLink,
            {"from_adoption_id": r["from_adoption_id"], "to_adoption_id": r["to_adoption_id"]},
            {
                "basis": basis,
                "rule": r["rule"] or MANUAL_RULE,
                "stated": basis == "stated",
                "source_urls": r["source_urls"],
            },
        )
    return (
        PostProgramEvent,
        {"adoption_id": r["adoption_id"], "kind": r["kind"], "description": r["description"]},
        {"fy": r["fy"], "related_adoption_id": r["related_adoption_id"], "source_urls": r["source_urls"]},
    )


def _write_small(session: Session, name: str, records: list[dict]) -> tuple[int, int, int]:
    """Organizations, participations, links and events: small tables, written through the ORM."""
    counts = [0, 0, 0]
    for r in records:
        counts[_upsert_orm(session, *_small_row(session, name, r))] += 1
        session.flush()
    return counts[0], counts[1], counts[2]


def get_or_create_org(
    session: Session, name: str, kind: str | None = None, prefecture: str | None = None
) -> Organization:
    """One organization per normalized key; the first spelling seen is kept for display."""
    key = org_key(name)
    org = session.scalar(select(Organization).where(Organization.key == key))
    if org is None:
        from chiiki.registry.organizations import guess_kind

        org = Organization(key=key, name=name, kind=kind or guess_kind(name), prefecture=prefecture)
        session.add(org)
        session.flush()
    elif kind and org.kind == "other" and kind != "other":
        org.kind = kind
    return org


# The closed value sets each small table's columns must hold (chiiki.model.enums).
_VOCABULARY: dict[str, tuple[tuple[str, type[StrEnum]], ...]] = {
    "organizations": (("kind", OrgKind),),
    "participations": (("role", ParticipationRole), ("kind", OrgKind)),
    "links": (("basis", LinkBasis),),
    "events": (("kind", EventKind),),
}


def _check_small(name: str, p: dict, known_adoptions: Callable[[str], bool]) -> None:
    """Reference and vocabulary checks for the small tables (raise CellError with a reason).

    Vocabulary values are validated with :func:`chiiki.model.enums.validate`, the check every
    entry point makes, and written back as the stored value (blanks around them dropped).
    """
    for column, enum in _VOCABULARY.get(name, ()):
        if p.get(column) is None:
            continue
        try:
            p[column] = validate(enum, p[column])
        except ValueError:
            expected = ", ".join(values(enum))
            raise CellError(column, "registry.unknown_value", p[column], field=column, expected=expected) from None
    if name == "links" and p["from_adoption_id"] == p["to_adoption_id"]:
        raise CellError("to_adoption_id", "registry.self_link", adoption_id=p["from_adoption_id"])
    for col in ("adoption_id", "from_adoption_id", "to_adoption_id", "related_adoption_id"):
        if p.get(col) and not known_adoptions(p[col]):
            raise CellError(col, "registry.unknown_adoption", field=col, adoption_id=p[col])


def reason_of(exc: BaseException) -> Message:
    """The reason an exception gives, as a message (a parser's own code when it has one)."""
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return message
    return msg("registry.invalid_value", "error", detail=str(exc))


def _written_columns(spec: TableSpec, present: set[str]) -> set[str] | None:
    """Columns an import may write: those in the file (plus keys and derived values).

    A file with only some columns must not erase the others of an existing row.
    """
    if spec is ADOPTIONS:
        keep = {"id", "program_id"} | (present - {"adoption_id", "program_name"})
        if "duration_years" in present or {"start_fy", "end_fy"} <= present:
            keep.add("duration_years")
        return keep
    if spec is PROGRAMS:
        renamed = {"program_id": "id", "predecessor_program_id": "predecessor_id"}
        return {"id", "family"} | {renamed.get(c, c) for c in present}
    return None


def import_file(
    session: Session,
    path: Path | str,
    table: str | None = None,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    display_name: str | None = None,
) -> ImportReport:
    """Import one CSV/XLSX file into the session's transaction; raise ImportFailed on any error.

    The caller owns the transaction (``session_scope``): on ImportFailed it rolls back, so the
    database is exactly as before. With ``dry_run`` everything is checked and then rolled back.
    """
    path = Path(path)
    name = display_name or str(path)
    info, rows = open_table(path, sheet)
    spec = IMPORT_SPECS[table] if table else guess_spec(info.headers)
    columns = _columns_of(spec)
    mapping = map_headers(columns, info.headers)
    header_of = {col: header for header, col in mapping.items()}
    keep = _written_columns(spec, set(mapping.values()))
    report = ImportReport(name, spec.name, info.encoding, dry_run=dry_run)
    report.ignored_headers = [h for h in info.headers if h and h not in mapping]
    errors = _Errors(name)
    missing = [c.name for c in columns.columns if c.required and c.name not in mapping.values()]
    if spec is ADOPTIONS and not {"program_id", "program_name"} & set(mapping.values()):
        missing.append("program_id / program_name")
    if spec is PROGRAMS and "program_id" not in mapping.values() and "program_id" not in missing:
        missing.append("program_id")
    if missing:
        for column in missing:
            errors.add(1, column, None, msg("registry.required_column_missing", "error"))
        raise ImportFailed(name, errors.items, errors.total)

    programs = _ProgramResolver(session) if spec is ADOPTIONS else None
    writer = _BatchWriter(session, spec, report, batch_size)
    seen: set[int] = set()
    adoption_cache: dict[str, bool] = {}

    def known_adoption(aid: str) -> bool:
        if aid not in adoption_cache:
            adoption_cache[aid] = bool(_existing_adoptions(session, {aid}))
        return adoption_cache[aid]

    for number, raw in rows:
        report.rows += 1
        if progress and report.rows % 1000 == 0:
            progress(report.rows)
        parsed = _parse_row(columns, mapping, raw, number, errors)
        if parsed is None:
            continue
        try:
            if spec is ADOPTIONS:
                record = _adoption_record(parsed, programs)  # type: ignore[arg-type]
                key = record["id"]
            elif spec is PROGRAMS:
                record = _program_record(parsed)
                key = record["id"]
            else:
                _check_small(spec.name, parsed, known_adoption)
                record = parsed
                key = "|".join(str(parsed.get(s)) for s in spec.signature)
        except CellError as exc:
            errors.add(number, header_of.get(exc.column, exc.column), exc.value, exc.message)
            continue
        except ValueError as exc:
            errors.add(number, spec.name, None, reason_of(exc))
            continue
        if keep is not None:
            record = {k: v for k, v in record.items() if k in keep}
        h = hash(key)
        if h in seen:
            errors.add(
                number,
                header_of.get(spec.signature[0], spec.signature[0]),
                key,
                msg("registry.duplicate_key", "error"),
            )
            continue
        seen.add(h)
        if errors.total == 0:
            writer.add(record, number)
    if spec is PROGRAMS:
        writer.check_predecessors(errors)
    if errors.total == 0:
        writer.flush()
    if errors.total:
        raise ImportFailed(name, errors.items, errors.total)
    if programs is not None:
        report.new_programs = programs.created
    if dry_run:
        session.rollback()
    return report
