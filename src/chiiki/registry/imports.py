"""`chiiki import`: validate a whole file, then write it in one transaction or not at all.

Rows are parsed and written in batches so memory stays flat on a 100,000-row file; every error
is collected with file, row, column, value and reason (a message code, rendered in the user's
language where it is shown), and any error makes the caller roll back.
Writes go through SQLAlchemy Core (executemany) rather than the ORM unit of work: per-row ORM
objects cost ~20× more and the goal is to stay within 2× of a plain `sqlite-utils insert`.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from chiiki.i18n import Message, msg, render
from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.normalize import nfkc, org_key, strip_parenthetical, text_key
from chiiki.ingest.places import canonical_prefecture
from chiiki.ingest.readers import open_table
from chiiki.ingest.schema import ADOPTIONS, IMPORT_SPECS, PROGRAMS, TableSpec, guess_spec, map_headers
from chiiki.model.enums import EventKind, LinkBasis, OrgKind, ParticipationRole, parse_code
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
MAX_LISTED_MATCHES = 200  # rows reported as updates of an existing adoption (then "… and N more")
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

    @classmethod
    def of(cls, column: str, value: object, reason: Message) -> CellError:
        """The error of a cell a parser refused with its own message (``reason``)."""
        err = cls(column, reason.code, value)
        err.message = reason
        return err

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
    sheet: str | None = None
    header_row: int = 1
    # what the reader did to find the table (header found at row N, sheet chosen, merged ranges
    # filled): the reader's own messages, passed on unchanged
    reader_notices: list[Message] = field(default_factory=list)
    # rows without an adoption_id taken as corrections of an existing adoption (one message each,
    # the first MAX_LISTED_MATCHES; ``matched`` counts them all)
    matches: list[Message] = field(default_factory=list)
    matched: int = 0


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
    """Program by id or by name (NFKC). An unknown id is an error; so is an unknown name — a
    misspelt 事業名 would otherwise become a program of its own, with no family, and split its
    adoptions from their lineage — naming the closest known names, unless ``allow_new``
    (``--new-program``): then it becomes a new program, reported."""

    def __init__(self, session: Session, allow_new: bool = False) -> None:
        self.session, self.allow_new = session, allow_new
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        self.names: dict[str, str] = {}  # key → the name as stored, for suggestions
        for pid, name in session.execute(select(Program.id, Program.name_ja)):
            self.ids.add(pid)
            self.by_name[text_key(name)] = pid
            self.names[text_key(name)] = name
        self.created: list[str] = []

    def closest(self, name: str, n: int = 3) -> list[str]:
        """The known program names nearest to ``name`` (difflib ratio on NFKC keys)."""
        keys = difflib.get_close_matches(text_key(name), list(self.names), n=n, cutoff=0.4)
        return [self.names[k] for k in keys]

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
        if not self.allow_new:
            closest = self.closest(name)
            if closest:
                raise CellError("program_name", "registry.unknown_program_name", name, closest=" / ".join(closest))
            raise CellError("program_name", "registry.unknown_program_name_none", name)
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


_PLACE_SEPARATORS = re.compile(r"[;、,，\n|・/／\s]+")


def prefecture_key(cell: str | None) -> frozenset[str]:
    """The prefectures a cell names, as official names where known (岩手 and 岩手県 alike)."""
    if not cell:
        return frozenset()
    parts = (strip_parenthetical(p) for p in _PLACE_SEPARATORS.split(nfkc(cell)))
    return frozenset(canonical_prefecture(p) or p for p in parts if p)


@dataclass(frozen=True)
class _Known:
    """An adoption already in the registry, as a row without an id is matched against it."""

    id: str
    title: str | None
    region_name: str | None
    core: str


def _core_key(cell: str | None) -> str:
    first = strip_parenthetical(cell or "").split(";")[0].strip()
    return org_key(first) if first else ""


class AdoptionMatcher:
    """Which adoption a row stands for, so that correcting a title or an area name and importing
    again updates the adoption instead of adding a second one.

    - A row with an ``adoption_id`` is that adoption (the key the export carries).
    - A row without one whose generated id (program, start FY, area, title) exists is that
      adoption (a file imported twice adds nothing, as before).
    - Otherwise it is matched on program + start FY + prefectures among the adoptions not
      already named by another row of the file and of which it keeps the area name, the title or
      the core institution, narrowed by the core institution when several match: one match is
      an update of that adoption (its id kept, reported); several are a row error naming them;
      none is a new adoption with the generated id, as before (so ids made
      by earlier versions stay stable).

    Rows that may match an existing adoption wait until the whole file is read
    (:meth:`resolve_deferred`), so an adoption a later row names by its id is never taken for
    an earlier row's correction. The registry is read once, and only when a file has rows
    without an id.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.claimed: set[str] = set()
        self.deferred: list[tuple[int, dict, frozenset[str]]] = []
        self._ids: set[str] | None = None
        self._index: dict[tuple[str, int, frozenset[str]], list[_Known]] = {}

    def _load(self) -> set[str]:
        if self._ids is None:
            self._ids = set()
            a = Adoption.__table__.c
            cols = (a.id, a.program_id, a.start_fy, a.prefectures, a.title, a.region_name, a.core_institution)
            for row in self.session.execute(select(*cols)):
                self._ids.add(row.id)
                prefs = prefecture_key(row.prefectures)
                if row.start_fy is not None and prefs:
                    known = _Known(row.id, row.title, row.region_name, _core_key(row.core_institution))
                    self._index.setdefault((row.program_id, row.start_fy, prefs), []).append(known)
        return self._ids

    def named(self, adoption_id: str) -> None:
        """A row names this adoption by its id."""
        self.claimed.add(adoption_id)

    def place(self, record: dict, row: int) -> bool:
        """True when ``record`` (an id-less row, ``id`` generated) can be written now; False when
        it waits for :meth:`resolve_deferred`."""
        ids = self._load()
        generated = record["id"]
        prefs = prefecture_key(record.get("prefectures"))
        if generated in ids or record.get("start_fy") is None or not prefs:
            self.claimed.add(generated)
            return True
        if not self._candidates(record, prefs):
            self.claimed.add(generated)
            return True
        self.deferred.append((row, record, prefs))
        return False

    def _candidates(self, record: dict, prefs: frozenset[str]) -> list[_Known]:
        """Unclaimed adoptions of the row's program, start FY and prefectures that the row looks
        like an edit of: it keeps at least one of their area name, title or core institution.
        (A row that changes all three is a different adoption of the same place and year — two
        clusters of one prefecture — not a correction; it is added, as before.)"""
        found = self._index.get((record["program_id"], record["start_fy"], prefs), [])
        area, title = text_key(record.get("region_name")), text_key(record.get("title"))
        core = _core_key(record.get("core_institution"))
        return [
            k
            for k in found
            if k.id not in self.claimed
            and (
                (area and area == text_key(k.region_name))
                or (title and title == text_key(k.title))
                or (core and core == k.core)
            )
        ]

    def resolve_deferred(
        self, errors: _Errors, report: ImportReport, column_of: Callable[[str], str]
    ) -> list[tuple[dict, int]]:
        """The waiting rows with their ids decided, in file order (errors for ambiguous rows)."""
        out = []
        for row, record, prefs in self.deferred:
            candidates = self._candidates(record, prefs)
            if len(candidates) > 1:
                core = _core_key(record.get("core_institution"))
                same_core = [k for k in candidates if core and k.core == core]
                if len(same_core) == 1:
                    candidates = same_core
                else:
                    names = ", ".join(f"{k.id} ({k.region_name or k.title or '-'})" for k in candidates)
                    errors.add(
                        row,
                        column_of("program_id"),
                        None,
                        msg(
                            "registry.ambiguous_adoption",
                            "error",
                            program_id=record["program_id"],
                            start_fy=record["start_fy"],
                            prefectures="・".join(sorted(prefs)),
                            candidates=names,
                        ),
                    )
                    continue
            if candidates:
                known = candidates[0]
                record = {**record, "id": known.id}
                report.matched += 1
                if len(report.matches) < MAX_LISTED_MATCHES:
                    report.matches.append(_match_message(row, known, record))
            self.claimed.add(record["id"])
            out.append((record, row))
        return out


def _match_message(row: int, known: _Known, record: dict) -> Message:
    """``row N updates adoption X (title changed: old → new)``, or that it is X unchanged."""

    def changed(column: str, old: str | None) -> bool:
        return column in record and text_key(record[column]) != text_key(old)

    title, area = changed("title", known.title), changed("region_name", known.region_name)
    if not (title or area):
        return msg("registry.row_is_adoption", "info", row=row, adoption_id=known.id)
    old_title, new_title = known.title or "-", record.get("title") or "-"
    old_area, new_area = known.region_name or "-", record.get("region_name") or "-"
    if title and area:
        change = msg(
            "registry.title_area_changed", "info", old=old_title, new=new_title, old_area=old_area, new_area=new_area
        )
    elif title:
        change = msg("registry.title_changed", "info", old=old_title, new=new_title)
    else:
        change = msg("registry.area_changed", "info", old=old_area, new=new_area)
    return msg("registry.row_updates_adoption", "info", row=row, adoption_id=known.id, change=change.to_dict())


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

    Vocabulary cells are read with :func:`chiiki.model.enums.parse_code`: the stored code or any
    of its Japanese labels (財団, 公設試, 参画機関 …), NFKC and case aside; the stored code is
    written back. An unknown value is a row error under that column, listing the accepted labels.
    """
    for column, enum in _VOCABULARY.get(name, ()):
        if p.get(column) is None:
            continue
        value = p[column]
        try:
            p[column] = parse_code(enum, value)
        except InvalidValue as exc:
            raise CellError.of(column, value, exc.message) from None
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


def header_test(table: str | None) -> Callable[[list[str]], bool]:
    """The reader's ``is_header``: a row is the header when it names a table's key columns.

    For a named table, that table; otherwise any table. A row is taken when at least two of its
    cells (one, for a one-cell row) are column names of the spec, so a title row (平成14年度
    採択地域一覧) or a note row above the table is skipped, while a header that lacks a required
    column is still found and reported precisely ("required column is missing").
    """
    specs = [IMPORT_SPECS[table]] if table else list(IMPORT_SPECS.values())

    def fits(spec: TableSpec, headers: list[str]) -> bool:
        columns = _columns_of(spec)
        named = [h for h in headers if h]
        mapped = set(map_headers(columns, named).values())
        return bool(mapped) and len(mapped) >= min(2, len(named))

    def is_header(headers: list[str]) -> bool:
        cleaned = [str(h).strip() for h in headers if h is not None and str(h).strip()]
        return any(fits(spec, cleaned) for spec in specs)

    return is_header


def _missing_columns(spec: TableSpec, columns: TableSpec, mapped: set[str]) -> list[str]:
    missing = [c.name for c in columns.columns if c.required and c.name not in mapped]
    if spec is ADOPTIONS and not {"program_id", "program_name"} & mapped:
        missing.append("program_id / program_name")
    if spec is PROGRAMS and "program_id" not in mapped and "program_id" not in missing:
        missing.append("program_id")
    return missing


def import_file(
    session: Session,
    path: Path | str,
    table: str | None = None,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
    header_row: int | None = None,
    new_program: bool = False,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    display_name: str | None = None,
) -> ImportReport:
    """Import one CSV/XLSX file into the session's transaction; raise ImportFailed on any error.

    The caller owns the transaction (``session_scope``): on ImportFailed it rolls back, so the
    database is exactly as before. With ``dry_run`` everything is checked and then rolled back.
    The header is ``header_row`` when given, else the first row that names a table's columns
    (:func:`header_test`); ``sheet`` picks an XLSX sheet. Rows without an ``adoption_id`` are
    matched to the adoption they correct (:class:`AdoptionMatcher`). An unknown program name is
    a row error unless ``new_program``.
    """
    path = Path(path)
    name = display_name or str(path)
    info, rows = open_table(path, sheet, header_row, is_header=None if header_row else header_test(table))
    spec = IMPORT_SPECS[table] if table else guess_spec(info.headers)
    columns = _columns_of(spec)
    mapping = map_headers(columns, info.headers)
    header_of = {col: header for header, col in mapping.items()}
    keep = _written_columns(spec, set(mapping.values()))
    report = ImportReport(name, spec.name, info.encoding, dry_run=dry_run)
    report.sheet, report.header_row = info.sheet, info.header_row
    report.reader_notices = [_renamed(m, path, name) for m in info.notices]
    report.ignored_headers = [h for h in info.headers if h and h not in mapping]
    errors = _Errors(name)
    missing = _missing_columns(spec, columns, set(mapping.values()))
    if missing:
        for column in missing:
            errors.add(info.header_row, column, None, msg("registry.required_column_missing", "error"))
        raise ImportFailed(name, errors.items, errors.total)

    programs = _ProgramResolver(session, allow_new=new_program) if spec is ADOPTIONS else None
    matcher = AdoptionMatcher(session) if spec is ADOPTIONS else None
    writer = _BatchWriter(session, spec, report, batch_size)
    seen: set[int] = set()
    adoption_cache: dict[str, bool] = {}

    def known_adoption(aid: str) -> bool:
        if aid not in adoption_cache:
            adoption_cache[aid] = bool(_existing_adoptions(session, {aid}))
        return adoption_cache[aid]

    def accept(record: dict, key: object, number: int) -> None:
        h = hash(key)
        if h in seen:
            errors.add(
                number,
                header_of.get(spec.signature[0], spec.signature[0]),
                key,
                msg("registry.duplicate_key", "error"),
            )
            return
        seen.add(h)
        if errors.total == 0:
            writer.add(record, number)

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
        if matcher is not None:
            if parsed.get("adoption_id"):
                matcher.named(record["id"])
            elif not matcher.place(record, number):
                continue  # may correct an existing adoption: decided once the whole file is read
        accept(record, key, number)
    if matcher is not None:
        for record, number in matcher.resolve_deferred(errors, report, lambda c: header_of.get(c, c)):
            accept(record, record["id"], number)
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


def _renamed(message: Message, path: Path, name: str) -> Message:
    """A reader's message with the file as the user named it (``<stdin>``, not a temporary file)."""
    if message.params.get("file") == str(path) and name != str(path):
        return Message(message.code, {**message.params, "file": name}, message.severity)
    return message
