"""Workbench methods for hearing surveys and qualitative coding (QDA, REFI-QDA).

The personal-data rule lives here (and in :mod:`chiiki.workbench.text_api` for mining): every
method that lets text out takes ``include_personal`` (default False), asks
``self.personal_allowed(include_personal)`` once and hands the answer to the hearings package
as a :class:`~chiiki.hearings.privacy.Redaction`. Without it the text of documents flagged
``contains_personal_data`` is withheld and every name the hearing records know (interviewees,
interviewers, speaker labels) is masked by a pseudonym — in tables, files, ``.qdpx`` projects,
the report chapter and its figures alike.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import Message, msg
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.results import Done, Table, plain

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chiiki.hearings.privacy import Redaction

MIME = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass
class HearingDetail:
    """Everything about one hearing (interviewers and interviewees only when personal data is shown)."""

    hearing: dict[str, Any]
    warnings: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**plain(self.hearing), "warnings": [w.to_dict() for w in self.warnings]}


@dataclass
class DocumentDetail:
    """One document's metadata, and its text only when the personal-data rule lets it out."""

    document: dict[str, Any]
    warnings: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**plain(self.document), "warnings": [w.to_dict() for w in self.warnings]}


@dataclass
class Figure:
    """One figure of the hearings chapter: an image (PNG bytes or SVG text) and the labels drawn."""

    kind: str  # "network" | "ca"
    format: str = "png"  # "png" | "svg"
    data: bytes | str | None = None
    labels: list[str] = field(default_factory=list)
    skipped: Message | None = None

    @property
    def mime(self) -> str:
        return MIME[self.format]

    @property
    def base64(self) -> str | None:
        if self.data is None:
            return None
        raw = self.data.encode("utf-8") if isinstance(self.data, str) else self.data
        return base64.b64encode(raw).decode("ascii")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "format": self.format,
            "mime": self.mime,
            "base64": self.base64,
            "labels": list(self.labels),
            "skipped": self.skipped.to_dict() if self.skipped else None,
        }


@dataclass
class HearingsChapter:
    """The data of the report's hearings chapter (rendered by ``chiiki.report.sections_hearings``)."""

    overview: Table
    guide: list[str]
    codes: Table
    n_documents: int
    figures: list[Figure] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    source: Message = field(default_factory=lambda: msg("hearings.chapter_source", "info"))
    include_personal: bool = False
    # One code table per coder, and which coding ``codes`` shows (one coder's, or the agreed rule
    # when there are several): code tables are never summed over coders.
    codes_by_coder: dict[str, Table] = field(default_factory=dict)
    codes_rule: Message | None = None
    include_samples: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "overview": self.overview.to_dict(),
            "guide": list(self.guide),
            "codes": self.codes.to_dict(),
            "codes_by_coder": {k: v.to_dict() for k, v in self.codes_by_coder.items()},
            "codes_rule": self.codes_rule.to_dict() if self.codes_rule else None,
            "include_samples": self.include_samples,
            "n_documents": self.n_documents,
            "figures": [f.to_dict() for f in self.figures],
            "messages": [m.to_dict() for m in self.messages],
            "source": self.source.to_dict(),
            "include_personal": self.include_personal,
        }


def _spec(value: str | Sequence[str], sep: str, last: bool) -> tuple[str, str]:
    """``"name:kind"`` (split at the last ``sep``) or ``"name:organization"`` (the first), or a pair."""
    if not isinstance(value, str):
        a, b = (list(value) + ["", ""])[:2]
        return str(a).strip(), str(b or "").strip()
    if sep not in value:
        return value.strip(), ""
    a, _, b = value.rpartition(sep) if last else value.partition(sep)
    return a.strip(), b.strip()


def _frame_table(result: Any, title: Message | None = None) -> Table:
    if result.summary is None or result.summary.empty:
        return Table([], [], title=title, warnings=list(result.warnings))
    return Table.from_frame(result.summary, title=title, warnings=list(result.warnings))


class HearingsMethods(WorkbenchCore):
    """Hearing and coding methods of :class:`chiiki.Workbench` (see the module docstring)."""

    def _redaction(self, session: Session, include_personal: bool) -> Redaction:
        from chiiki.hearings.privacy import Redaction

        return Redaction.for_session(session, self.personal_allowed(include_personal))

    # -- hearing records ----------------------------------------------------------------------
    def add_hearing(
        self,
        key: str,
        title: str | None = None,
        *,
        region: str | None = None,
        date: str | None = None,
        interviewers: str | None = None,
        guide: str | None = None,
        consent: str | None = None,
        note: str | None = None,
        sample: bool | None = None,
        organizations: Sequence[str | Sequence[str]] = (),
        adoptions: Sequence[str] = (),
        interviewees: Sequence[str | Sequence[str]] = (),
    ) -> Done:
        """Add a hearing, or update the one with this ``key``: only the fields given change.

        ``organizations`` are ``"name:kind"`` (kind defaults to ``other``), ``interviewees``
        ``"name[:organization]"`` (personal data); both are added to what the hearing already has.
        Afterwards the hearings are linked to the hubs of their adoptions.
        """
        from chiiki.hearings.records import (
            UNSET,
            add_hearing_adoption,
            add_hearing_organization,
            add_interviewee,
            create_hearing,
            link_hearing_hubs,
            parse_date,
        )
        from chiiki.model.hearings import Hearing

        def given(value: Any) -> Any:
            return UNSET if value is None else value

        with self.session(write=True) as s:
            from sqlalchemy import select

            created = s.scalar(select(Hearing.id).where(Hearing.key == key)) is None
            dates: dict[str, Any] = {}
            if date is not None:
                dates = dict(zip(("year", "month", "day"), parse_date(date), strict=True))
            h = create_hearing(
                s,
                key,
                given(title),
                region=given(region),
                interviewers=given(interviewers),
                guide_key=given(guide),
                consent=given(consent),
                note=given(note),
                is_sample=given(sample),
                **dates,
            )
            for spec in organizations:
                name, kind = _spec(spec, ":", last=True)
                add_hearing_organization(s, h, name, kind=kind or "other")
            for adoption in adoptions:
                add_hearing_adoption(s, h, adoption.strip())
            for spec in interviewees:
                person, affiliation = _spec(spec, ":", last=False)
                add_interviewee(s, h, person, organization=affiliation or None)
            links = link_hearing_hubs(s)
            warnings = [w for w in links.warnings if w.params.get("hearing") == key]
            code = "hearings.hearing_added" if created else "hearings.hearing_updated"
            return Done(
                msg(code, "info", id=h.id, key=h.key),
                counts={"organizations": len(h.organizations), "adoptions": len(h.adoptions)},
                warnings=warnings,
                data={"id": h.id, "key": h.key, "created": created},
            )

    def import_document(
        self,
        path: str | Path,
        *,
        hearing: str | int | None = None,
        title: str | None = None,
        source_type: str = "transcript",
        hub: str | int | None = None,
        sample: bool = False,
        personal: bool | None = None,
    ) -> Done:
        """Import a .txt/.md/.docx file as a document (encoding detected, speaker turns split).

        ``personal`` defaults to True for transcripts and notes: their text then leaves chiiki
        only when a caller asks for personal data.
        """
        from chiiki.hearings.errors import DuplicateDocumentError
        from chiiki.hearings.importing import import_document
        from chiiki.hearings.records import get_hearing
        from chiiki.hearings.selection import resolve_hub

        p = Path(path)
        if not p.is_file():
            raise WorkbenchError(msg("hearings.file_missing", "error", file=str(p)))
        try:
            return self._import_document(
                p, hearing, title, source_type, hub, sample, personal, import_document, get_hearing, resolve_hub
            )
        except WorkbenchError as exc:
            dup = exc.__cause__
            if not (isinstance(dup, DuplicateDocumentError) and dup.same_hearing):
                raise
            # The same text into the same hearing again: a no-op that says so (exit 0).
            return Done(
                msg("hearings.document_already_imported", "info", **dup.message.params),
                counts={"chars": 0, "turns": 0},
                paths=[p],
                data={"id": dup.existing, "duplicate": True},
            )

    def _import_document(
        self,
        p: Path,
        hearing: str | int | None,
        title: str | None,
        source_type: str,
        hub: str | int | None,
        sample: bool,
        personal: bool | None,
        import_document: Any,
        get_hearing: Any,
        resolve_hub: Any,
    ) -> Done:
        with self.session(write=True) as s:
            h = get_hearing(s, hearing) if hearing not in (None, "") else None
            hub_id = resolve_hub(s, hub).id if hub not in (None, "") else None
            doc = import_document(
                s,
                p,
                title=title,
                source_type=source_type,
                hearing=h,
                hub_id=hub_id,
                is_sample=sample,
                contains_personal_data=personal,
            )
            data = {
                "id": doc.id,
                "chars": len(doc.text),
                "encoding": doc.encoding,
                "turns": len(doc.turns),
                "source_type": doc.source_type,
                "contains_personal_data": bool(doc.contains_personal_data),
                "hearing": h.key if h else None,
                "hash": doc.content_hash,
                "duplicate": False,
            }
        notes = [msg("hearings.document_is_personal", "info")] if data["contains_personal_data"] else []
        return Done(
            msg(
                "hearings.document_imported",
                "info",
                id=data["id"],
                chars=data["chars"],
                encoding=data["encoding"],
                n=data["turns"],
            ),
            counts={"chars": data["chars"], "turns": data["turns"]},
            paths=[p],
            warnings=notes,
            data=data,
        )

    def sample_mark(self) -> str:
        """The mark put on made-up sample records wherever they are shown ([sample] / 【サンプル】)."""
        return self.render(msg("hearings.sample_mark", "info"))

    def _mark(self, rows: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
        """Add ``sample`` (the mark or "") to each row and put the mark before ``fields`` of samples."""
        mark = self.sample_mark()
        for r in rows:
            r["sample"] = mark if r.get("is_sample") else ""
            for f in fields:
                if r.get("is_sample") and r.get(f) and mark not in str(r[f]):
                    r[f] = f"{mark}{r[f]}"
        return rows

    def list_hearings(self) -> Table:
        """Table-1-style overview of the hearings (organizations, adoptions, hubs are lists);
        sample hearings are listed, marked (``sample`` column, and the mark before the region and title)."""
        from chiiki.hearings.records import LIST_COLUMNS, list_hearings

        with self.session() as s:
            rows = list_hearings(s, lang=self.lang)
            red = self._redaction(s, False)
            for r in rows:
                r["title"] = red.text(r["title"])
        self._mark(rows, "title", "region")
        return Table([*LIST_COLUMNS, "sample"], rows, title=msg("hearings.list_title", "info", n=len(rows)))

    # -- documents ----------------------------------------------------------------------------
    def list_documents(self, hearing: str | int | None = None, include_samples: bool = True) -> Table:
        """The documents (id, hearing, title, file, hash prefix, characters, personal flag,
        sample mark) — never their text; titles with the known names masked."""
        from chiiki.hearings.documents import DOCUMENT_COLUMNS, list_documents

        with self.session() as s:
            red = self._redaction(s, False)
            rows = list_documents(s, hearing=hearing, include_samples=include_samples, redaction=red)
        self._mark(rows, "title")
        return Table([*DOCUMENT_COLUMNS, "sample"], rows, title=msg("hearings.documents_title", "info", n=len(rows)))

    def document_detail(self, ref: str | int, include_personal: bool = False) -> DocumentDetail:
        """One document's metadata; its text only when the personal-data rule lets it out
        (a document not flagged as personal always; a flagged one with ``include_personal``)."""
        from chiiki.hearings.documents import document_detail

        with self.session() as s:
            red = self._redaction(s, include_personal)
            detail = document_detail(s, ref, redaction=red)
        detail["sample"] = self.sample_mark() if detail["is_sample"] else ""
        warnings = [msg("hearings.document_is_personal", "info")] if detail["withheld"] else []
        return DocumentDetail(detail, warnings)

    def delete_document(self, ref: str | int) -> Done:
        """Delete a document with its coded segments and speaker turns."""
        from chiiki.hearings.documents import delete_document

        with self.session(write=True) as s:
            gone = delete_document(s, ref)
        return Done(
            msg(
                "hearings.document_deleted",
                "info",
                id=gone["id"],
                segments=gone["segments"],
                n=gone["turns"],
                turns=gone["turns"],
            ),
            counts={"segments": gone["segments"], "turns": gone["turns"]},
            data=gone,
        )

    def hearing_detail(self, key: str | int, include_personal: bool = False) -> HearingDetail:
        """One hearing; interviewers and interviewees only with ``include_personal``."""
        from chiiki.hearings.records import hearing_detail

        with self.session() as s:
            red = self._redaction(s, include_personal)
            detail = hearing_detail(s, key, redaction=red)
        detail["sample"] = self.sample_mark() if detail["is_sample"] else ""
        warnings = [] if red.show_personal else [msg("hearings.names_hidden", "info", n=detail["n_interviewees"])]
        return HearingDetail(detail, warnings)

    def load_bundled_hearings(self) -> Done:
        """Load the report's Table 1 hearings, topics and result summaries (idempotent)."""
        from chiiki.hearings.bundled import load_bundled_hearings

        with self.session(write=True) as s:
            counts = load_bundled_hearings(s)
        warnings = list(counts.pop("warnings"))
        unlinked = counts.pop("unlinked")
        if unlinked:
            warnings.append(msg("hearings.load_registry_hint", "info"))
        return Done(
            msg("hearings.bundled_loaded", "info", n=counts["hearings"], documents=counts["documents"]),
            counts=counts,
            warnings=warnings,
            data={"unlinked": unlinked},
        )

    # -- codebook -----------------------------------------------------------------------------
    def codebook_list(self) -> Table:
        """The codes with their paths, factor links and segment counts."""
        from chiiki.hearings.qda import list_codes

        with self.session() as s:
            result = list_codes(s)
        return Table.from_frame(result.summary, title=msg("hearings.codebook_title", "info", n=result.n))

    def codebook(self) -> Table:
        """The codebook (the same table as :meth:`codebook_list`)."""
        return self.codebook_list()

    def codebook_add(
        self,
        name: str,
        *,
        parent: str | None = None,
        description: str | None = None,
        color: str | None = None,
        factor: str | None = None,
    ) -> Done:
        """Add a code (or change the one with this name: only the fields given)."""
        from chiiki.hearings.qda import add_code, code_path

        if not name or not name.strip():
            raise WorkbenchError(msg("hearings.code_name_empty", "error"))
        with self.session(write=True) as s:
            code = add_code(s, name.strip(), parent=parent, description=description, color=color, factor=factor)
            data = {"id": code.id, "name": code.name, "path": code_path(code)}
        return Done(msg("hearings.code_saved", "info", id=data["id"], path=data["path"]), data=data)

    def codebook_load_default(self) -> Done:
        """The starting codebook of the report's hearing topics (idempotent)."""
        from chiiki.hearings.bundled import load_default_codebook

        with self.session(write=True) as s:
            n = load_default_codebook(s)
        return Done(msg("hearings.codes_loaded", "info", n=n), counts={"codes": n})

    def codebook_import(self, path: str | Path) -> Done:
        """Read a codebook: REFI-QDA .qdc (validated; Taguette's empty <Sets/> is a warning) or
        a codebook CSV/XLSX (ours or Taguette's); codes of the same name are updated."""
        from chiiki.hearings.refi import import_codebook

        p = self._existing(path)
        with self.session(write=True) as s:
            result = import_codebook(s, p)
        return Done(
            msg("hearings.codes_imported", "info", n=result.n),
            counts={"codes": result.n},
            paths=[p],
            warnings=list(result.warnings),
        )

    def codebook_export(self, path: str | Path) -> Done:
        """Write the codebook as a REFI-QDA .qdc file (validated against the schema first), or as
        a codebook CSV that Taguette imports (``path`` + ``description`` …) when it ends in .csv."""
        from chiiki.hearings.refi import export_codebook

        p = Path(path)
        with self.session() as s:
            result = export_codebook(s, p)
        return Done(
            msg("hearings.codes_exported", "info", n=result.n, path=str(p)), counts={"codes": result.n}, paths=[p]
        )

    # -- coding -------------------------------------------------------------------------------
    def apply_code(
        self,
        document: int,
        code: str,
        *,
        start: int | None = None,
        end: int | None = None,
        search: str | None = None,
        occurrence: int | None = None,
        coder: str = "default",
        memo: str | None = None,
    ) -> Done:
        """Code ``text[start:end]`` of a document, or every occurrence of ``search`` (or the n-th)."""
        from chiiki.hearings.qda import add_segment, code_by_search

        if search is None and (start is None or end is None):
            raise WorkbenchError(msg("hearings.apply_needs_span", "error"))
        with self.session(write=True) as s:
            if search is not None:
                segs = code_by_search(s, document, code, search, coder=coder, memo=memo, occurrence=occurrence)
            else:
                segs = [add_segment(s, document, code, int(start), int(end), coder=coder, memo=memo)]  # type: ignore[arg-type]
            rows = [
                {"id": g.id, "document_id": g.document_id, "start": g.start, "end": g.end, "code": g.code.name}
                for g in segs
            ]
        return Done(
            msg("hearings.segments_coded", "info", n=len(rows), name=code, document=document),
            counts={"segments": len(rows)},
            data={"segments": rows},
        )

    def segments(
        self,
        code: str,
        *,
        context: int = 30,
        coder: str | None = None,
        include_children: bool = True,
        include_personal: bool = False,
    ) -> Table:
        """Every segment of a code (and its sub-codes) with ``context`` characters either side.

        Text from documents holding personal data is withheld (``withheld`` True, text None)
        unless ``include_personal``; names are masked in the rest.
        """
        from chiiki.hearings.qda import SEGMENT_COLUMNS, retrieve_segments

        with self.session() as s:
            red = self._redaction(s, include_personal)
            result = retrieve_segments(
                s, code, context=context, coder=coder, include_children=include_children, redaction=red
            )
        withheld = result.extra["withheld"]
        warnings = [msg("workbench.personal_withheld", "warning", n=withheld)] if withheld else []
        rows = result.summary.to_dict("records")
        return Table(
            list(SEGMENT_COLUMNS),
            rows,
            title=msg("hearings.segments_title", "info", name=code, n=len(rows)),
            warnings=warnings,
        )

    def coders(self, include_samples: bool = False) -> list[str]:
        """The coders who coded anything (in sample documents only with ``include_samples``)."""
        from chiiki.hearings.qda import segment_coders

        with self.session() as s:
            return segment_coders(s, include_samples)

    def code_matrix(
        self,
        by: str = "hub",
        count: str = "segments",
        coder: str | None = None,
        include_personal: bool = False,
        *,
        rule: str | None = None,
        coders: Sequence[str] | None = None,
        include_samples: bool = False,
    ) -> Table:
        """Codes × hubs (or org_kind, region, source_type, hearing, document): segments or documents.

        One coder's (``coder``) or by a ``rule`` (agreed | union), never several coders summed:
        with several coders and neither given this refuses, naming them. Sample documents are
        left out unless ``include_samples``.
        """
        from chiiki.hearings.qda import code_matrix

        with self.session() as s:
            red = self._redaction(s, include_personal)
            result = code_matrix(
                s,
                by=by,
                count=count,
                coder=coder,
                redaction=red,
                rule=rule,
                coders=coders,
                include_samples=include_samples,
            )
        return _frame_table(result, title=msg("hearings.matrix_title", "info", by=by, count=count))

    def code_frequencies(
        self,
        coder: str | None = None,
        rule: str | None = None,
        coders: Sequence[str] | None = None,
        include_samples: bool = False,
    ) -> Table:
        """Per code: coded spans, documents and hearings — one coder's or by a rule, never summed."""
        from chiiki.hearings.qda import code_frequencies

        with self.session() as s:
            result = code_frequencies(s, coder=coder, rule=rule, coders=coders, include_samples=include_samples)
        return Table.from_frame(
            result.summary,
            title=msg("hearings.frequencies_title", "info", who=self._who(result.extra)),
            warnings=list(result.warnings),
        )

    def _who(self, extra: dict[str, Any]) -> str:
        if extra.get("rule"):
            return self.render(
                msg("hearings.codes_by_rule", "info", rule=extra["rule"], coders=", ".join(extra["coders"]))
            )
        return self.render(msg("hearings.codes_by_coder", "info", coder=extra.get("coder") or "-"))

    def agreement(
        self,
        coder1: str,
        coder2: str,
        unit: str = "document",
        codes: Sequence[str] | None = None,
        include_samples: bool = False,
    ) -> Table:
        """Inter-coder agreement per code (Cohen's κ, Krippendorff's α), plus all codes pooled
        (segments of sample documents only with ``include_samples``)."""
        from chiiki.hearings.agreement import coder_agreement

        with self.session() as s:
            result = coder_agreement(s, coder1, coder2, unit=unit, codes=codes, include_samples=include_samples)
        title = msg("hearings.agreement_title", "info", coder1=coder1, coder2=coder2, unit=unit, n=result.n)
        return _frame_table(result, title=title)

    # -- files out and in ---------------------------------------------------------------------
    def export_segments(
        self, path: str | Path, fmt: str | None = None, include_personal: bool = False, coder: str | None = None
    ) -> Done:
        """All coded segments to CSV (UTF-8 with BOM) or XLSX, under the personal-data rule."""
        from chiiki.hearings.exports import export_segments

        p = Path(path)
        with self.session() as s:
            red = self._redaction(s, include_personal)
            result = export_segments(s, p, fmt=fmt, redaction=red, coder=coder)
        withheld = result.extra["withheld"]
        warnings = [msg("workbench.personal_withheld", "warning", n=withheld)] if withheld else []
        return Done(
            msg("hearings.segments_exported", "info", n=result.n, path=str(p)),
            counts={"segments": result.n, "withheld": withheld},
            paths=[p],
            warnings=warnings,
        )

    def export_qdpx(self, path: str | Path, include_personal: bool = False, include_samples: bool = True) -> Done:
        """The project (codebook, documents, coded segments) as a REFI-QDA .qdpx, validated.

        Without ``include_personal`` documents holding personal data are left out and names are
        masked in the rest; each source carries its personal-data flag either way.
        """
        from chiiki.hearings.refi import export_qdpx

        p = Path(path)
        with self.session() as s:
            red = self._redaction(s, include_personal)
            result = export_qdpx(s, p, redaction=red, include_samples=include_samples)
        row = result.summary.iloc[0]
        counts = {k: int(row[k]) for k in ("sources", "selections", "codes", "skipped", "skipped_segments")}
        return Done(
            msg("hearings.qdpx_exported", "info", n=counts["sources"], selections=counts["selections"], path=str(p)),
            counts=counts,
            paths=[p],
            warnings=list(result.warnings),
        )

    def import_qdpx(self, path: str | Path, source_type: str = "transcript") -> Done:
        """Read a REFI-QDA .qdpx project (validated); sources keep their personal-data flag.

        ``source_type`` is for sources that do not say theirs (projects from other tools): by
        default they count as transcripts, so they are flagged as personal.
        """
        from chiiki.hearings.errors import choice
        from chiiki.hearings.refi import import_qdpx
        from chiiki.model.enums import SourceType

        p = self._existing(path)
        with self.session(write=True) as s:
            result = import_qdpx(s, p, source_type=choice(SourceType, source_type, "source_type"))
        row = result.summary.iloc[0]
        counts = {"sources": int(row["sources"]), "segments": int(row["segments"]), "codes": int(row["codes"])}
        return Done(
            msg(
                "hearings.qdpx_imported",
                "info",
                n=counts["sources"],
                segments=counts["segments"],
                codes=counts["codes"],
            ),
            counts=counts,
            paths=[p],
            warnings=list(result.warnings),
        )

    def _existing(self, path: str | Path) -> Path:
        p = Path(path)
        if not p.is_file():
            raise WorkbenchError(msg("hearings.file_missing", "error", file=str(p)))
        return p

    # -- the report chapter -------------------------------------------------------------------
    def hearings_chapter(
        self, include_personal: bool = False, figures: bool = True, image_format: str = "png", **selection: Any
    ) -> HearingsChapter:
        """The data of the report's hearings chapter (language-free; see HearingsChapter).

        ``selection`` takes the document filters of the text methods (hub, since, until,
        org_kind, source_type, samples). Sample records (hearings and documents) are left out of
        the overview, the code tables and the figures unless ``samples=True`` (then marked).
        The code table is one coder's, or — with several coders — the spans all of them agreed
        on (``codes_rule`` says which; ``codes_by_coder`` has each coder's). Figures are drawn
        from the selected documents under the personal-data rule; one that cannot be drawn
        says why in ``Figure.skipped``.
        """
        from sqlalchemy import select

        from chiiki.hearings.bundled import DEFAULT_GUIDE_KEY
        from chiiki.hearings.qda import code_matrix, segment_coders
        from chiiki.hearings.records import list_hearings
        from chiiki.hearings.selection import count_withheld_documents, select_document_rows, select_documents
        from chiiki.model.hearings import InterviewGuide
        from chiiki.workbench.text_api import Selection

        if image_format not in MIME:
            raise WorkbenchError(
                msg("hearings.bad_choice", "error", option="image_format", value=image_format, choices=", ".join(MIME))
            )
        selection.setdefault("samples", False)
        sel = Selection.of(selection)
        if sel.code:
            raise TypeError("the hearings chapter runs on whole documents: no 'code' selection")
        with_samples = bool(sel.samples)
        messages: list[Message] = []
        columns = ["region", "organizations", "date", "hubs", "documents", "is_sample", "sample"]
        with self.session() as s:
            red = self._redaction(s, include_personal)
            every = list_hearings(s, lang=self.lang)
            rows = [r for r in every if with_samples or not r["is_sample"]]
            self._mark(rows, "region")
            overview = Table(columns, [{k: r[k] for k in columns} for r in rows])
            guide_row = s.scalar(select(InterviewGuide).where(InterviewGuide.key == DEFAULT_GUIDE_KEY))
            guide = (
                [(q.text_en if self.lang == "en" and q.text_en else q.text) for q in guide_row.questions]
                if guide_row is not None
                else []
            )
            codes, by_coder, rule = self._chapter_codes(s, red, with_samples, code_matrix, segment_coders)
            docs = select_documents(s, redaction=red, **sel.documents_filter())
            withheld = count_withheld_documents(s, red, **sel.documents_filter())
            if not with_samples:
                n_docs_all = len(select_document_rows(s, **{**sel.documents_filter(), "include_samples": True}))
                n_docs_real = len(select_document_rows(s, **sel.documents_filter()))
                left = (len(every) - len(rows), n_docs_all - n_docs_real)
                if any(left):
                    messages.append(msg("hearings.samples_left_out", "info", hearings=left[0], documents=left[1]))
        if withheld:
            messages.append(msg("text.personal_left_out", "warning", n=withheld))
        if any(d.meta.get("is_sample") == "1" for d in docs):
            messages.append(msg("hearings.chapter_has_samples", "info"))
        drawn = _chapter_figures(docs, self.lang, image_format) if figures and docs else []
        return HearingsChapter(
            overview=overview,
            guide=guide,
            codes=codes,
            n_documents=len(docs),
            figures=drawn,
            messages=messages,
            include_personal=red.show_personal,
            codes_by_coder=by_coder,
            codes_rule=rule,
            include_samples=with_samples,
        )

    def _chapter_codes(
        self, s: Session, red: Redaction, with_samples: bool, code_matrix: Any, segment_coders: Any
    ) -> tuple[Table, dict[str, Table], Message | None]:
        """The chapter's code × hub table (one coder's, or the agreed rule), and each coder's."""
        coders = segment_coders(s, with_samples)
        empty = Table(["code"], [], warnings=[])
        by_coder: dict[str, Table] = {}
        for c in coders:
            m = code_matrix(s, by="hub", count="segments", coder=c, redaction=red, include_samples=with_samples)
            by_coder[c] = _frame_table(m) if m.n else empty
        if not coders:
            return empty, by_coder, None
        if len(coders) == 1:
            return by_coder[coders[0]], by_coder, msg("hearings.codes_by_coder", "info", coder=coders[0])
        m = code_matrix(s, by="hub", count="segments", rule="agreed", redaction=red, include_samples=with_samples)
        rule = msg("hearings.codes_by_rule", "info", rule="agreed", coders=", ".join(coders))
        return (_frame_table(m) if m.n else empty), by_coder, rule


def _chapter_figures(docs: list[Any], lang: str, fmt: str) -> list[Figure]:
    """The chapter's co-occurrence network and CA map (terms × region) of ``docs`` (already redacted)."""
    from chiiki.text import cooccurrence, correspondence
    from chiiki.text.errors import TextError
    from chiiki.text.netplot import drawn_labels, network_image
    from chiiki.workbench.text_api import tokenizer

    def image(data: bytes) -> bytes | str:
        return data.decode("utf-8") if fmt == "svg" else data

    tok = tokenizer()
    # Few documents (the report's summaries, a handful of transcripts): count co-occurrence
    # within sentences, otherwise every term of one document links to every other.
    unit = "sentence" if len(docs) < 20 else "document"
    out = []
    try:
        net = cooccurrence(docs, tok, unit=unit, top_n=60, min_df=2)
        if len(net.edges) == 0:
            out.append(Figure("network", fmt, skipped=msg("hearings.figure_no_edges", "info")))
        else:
            labels = list(drawn_labels(net).values())
            out.append(Figure("network", fmt, image(network_image(net, fmt, lang)), labels))
    except TextError as exc:
        out.append(Figure("network", fmt, skipped=exc.message))
    try:
        ca = correspondence(docs, tok, variable="region", top_n=60, min_df=2)
        out.append(Figure("ca", fmt, image(ca.image(fmt, lang=lang)), ca.labels()))
    except TextError as exc:  # degenerate tables (one region only) are common in a selection
        out.append(Figure("ca", fmt, skipped=exc.message))
    return out
