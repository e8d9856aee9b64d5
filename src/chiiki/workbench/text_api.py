"""Workbench methods for Japanese text mining of the hearing documents.

Every method takes the same selection (:class:`Selection`: hub, period, organization kind, source
type, samples, or the coded segments of one code) and applies the one personal-data rule before
any word is counted: documents flagged as holding personal data are left out unless the caller
asks with ``include_personal=True`` and may (``personal_allowed``), and every name the hearing
records know is replaced by its pseudonym (P1, I1, S1 …) in the text that is tokenized — so no
frequency list, concordance, network or map can show one. With ``include_personal=True`` the
documents are mined as stored.

Made-up sample documents are left out of every analysis unless ``samples=True`` (the results say
how many were left out); ``documents`` restricts the selection to documents named by id or key.
The stop-word list (built-in, or a file added to it or replacing it) is stated in every result
that counts terms. Every file written goes through :mod:`chiiki.ingest.atomic`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import Message, msg
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.results import Done, Table, plain

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chiiki.hearings.privacy import Redaction
    from chiiki.text import Doc, Tokenizer

NETWORK_SUFFIXES = (".png", ".svg", ".html", ".graphml", ".csv")
IMAGE_SUFFIXES = (".png", ".svg")


@dataclass(frozen=True)
class Selection:
    """Which documents a text analysis runs on (every field optional).

    ``hub`` an id, key or name; ``since``/``until`` ``YYYY`` or ``YYYY-MM``; ``org_kind`` and
    ``source_type`` stored values; ``samples`` True takes made-up sample documents in (they are
    left out by default); ``code`` runs on the coded segments of that code (and its sub-codes)
    instead of whole documents; ``documents`` only these documents (ids or keys; for ``code``,
    the segments of these documents).
    """

    hub: str | None = None
    since: str | None = None
    until: str | None = None
    org_kind: str | None = None
    source_type: str | None = None
    samples: bool = False
    code: str | None = None
    documents: tuple[str, ...] = ()

    @classmethod
    def of(cls, options: dict[str, Any]) -> Selection:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown selection option(s): {', '.join(unknown)}")
        values = dict(options)
        if values.get("documents") is not None:
            values["documents"] = tuple(str(d) for d in values["documents"])
        else:
            values.pop("documents", None)
        return cls(**values)

    def documents_filter(self) -> dict[str, Any]:
        """The filters of ``chiiki.hearings.selection.select_documents`` (without ``documents``,
        which :func:`mining_documents` resolves and applies itself)."""
        return {
            "hub": self.hub,
            "since": self.since,
            "until": self.until,
            "org_kind": self.org_kind,
            "source_type": self.source_type,
            "include_samples": self.samples,
        }


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """One tokenizer per process (loading the Sudachi dictionary takes about a second)."""
    from chiiki.text import Tokenizer

    return Tokenizer()


def analysis_tokenizer(stopwords: str | Path | None = None, stopwords_mode: str = "add") -> tuple[Tokenizer, Message]:
    """The tokenizer for an analysis and the notice stating its stop-word list.

    Without a file it is the shared :func:`tokenizer` (built-in list); with one, a tokenizer
    sharing its Sudachi dictionary but with the file's words added to the list or replacing it.
    """
    from chiiki.text.stopwords import stopwords as stopword_list

    with text_errors():
        words = stopword_list(stopwords, stopwords_mode)
    base = tokenizer()
    tok = base if stopwords is None else base.with_stopwords(words.words)
    return tok, words.message


@contextmanager
def text_errors() -> Iterator[None]:
    """Errors of the text engine (a bad option, a rule that does not parse) as WorkbenchErrors."""
    from chiiki.text.errors import TextError

    try:
        yield
    except TextError as exc:
        raise WorkbenchError(exc.message, details=list(exc.details)) from exc


def resolve_documents(session: Session, refs: Sequence[str]) -> set[int]:
    """Database ids of the documents named by id or key; an unknown one is an error naming it."""
    from sqlalchemy import select

    from chiiki.model.hearings import Document

    ids: set[int] = set()
    for ref in refs:
        ref = str(ref).strip()
        found = session.get(Document, int(ref)) if ref.isdigit() else None
        if found is None:
            found = session.scalar(select(Document).where(Document.key == ref))
        if found is None:
            raise WorkbenchError(msg("text.unknown_document", "error", ref=ref))
        ids.add(found.id)
    return ids


def _document_id(doc: Doc) -> int:
    """The database id of the document a Doc comes from (a whole document or a coded segment)."""
    return int(doc.meta["document_id"]) if "document_id" in doc.meta else int(doc.doc_id)


def count_sample_documents(session: Session, selection: Selection, ids: set[int] | None) -> int:
    """How many sample documents the selection's filters match (those left out without ``samples``)."""
    from chiiki.hearings.selection import select_document_rows

    filters = selection.documents_filter() | {"include_samples": True}
    rows = select_document_rows(session, **filters)
    return sum(_is_sample(doc) for doc, _ctx in rows if ids is None or doc.id in ids)


def _count_withheld_among(session: Session, redaction: Redaction, selection: Selection, ids: set[int]) -> int:
    """How many of the documents ``ids`` (within the selection's filters) ``redaction`` withholds."""
    from chiiki.hearings.selection import select_document_rows

    rows = select_document_rows(session, **selection.documents_filter())
    return sum(redaction.withholds(doc.contains_personal_data) for doc, _ctx in rows if doc.id in ids)


def _is_sample(doc: Any) -> bool:
    """A sample document, or a document of a sample hearing (the hearings package's rule)."""
    from chiiki.hearings.documents import is_sample_document

    return is_sample_document(doc)


def mining_documents(session: Session, redaction: Redaction, selection: Selection) -> tuple[list[Doc], list[Message]]:
    """The documents of a selection as the redaction allows them, and the notices about it.

    Sample documents are left out unless ``selection.samples`` (the notice says how many);
    ``selection.documents`` keeps only the documents named (an unknown one is an error). Raises
    a WorkbenchError when nothing is left to analyse (saying how much was withheld and left out).
    """
    from chiiki.hearings.selection import (
        count_withheld_documents,
        count_withheld_segments,
        segments_as_docs,
        select_documents,
    )

    ids = resolve_documents(session, selection.documents) if selection.documents else None
    if selection.code:
        docs = segments_as_docs(session, selection.code, redaction=redaction)
        withheld = count_withheld_segments(session, selection.code, redaction)
        if ids is not None:
            docs = [d for d in docs if _document_id(d) in ids]
        sample_docs = {_document_id(d) for d in docs if d.meta.get("is_sample") == "1"}
        samples = 0 if selection.samples else len(sample_docs)
    else:
        docs = select_documents(session, redaction=redaction, **selection.documents_filter())
        if ids is None:
            withheld = count_withheld_documents(session, redaction, **selection.documents_filter())
        else:
            docs = [d for d in docs if _document_id(d) in ids]
            withheld = _count_withheld_among(session, redaction, selection, ids)
        samples = 0 if selection.samples else count_sample_documents(session, selection, ids)
    if not selection.samples:
        docs = [d for d in docs if d.meta.get("is_sample") != "1"]
    notices = [msg("text.personal_left_out", "warning", n=withheld)] if withheld else []
    if samples:
        notices.append(msg("text.samples_left_out", "info", n=samples))
    if not docs:
        raise WorkbenchError(msg("text.no_documents", "error"), details=notices)
    return docs, notices


def write_csv(table: Table, path: str | Path) -> Path:
    """A table as CSV, UTF-8 with BOM (Excel reads Japanese), column keys as headers."""
    from chiiki.ingest.atomic import atomic_open

    p = Path(path)
    with atomic_open(p, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if row.get(c) is None else _csv_cell(row.get(c)) for c in table.columns])
    return p


def _csv_cell(value: Any) -> Any:
    from chiiki.ingest.formulas import escape_cell

    value = escape_cell(plain(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


@dataclass
class NetworkResult:
    """A co-occurrence network: its nodes and edges, the counting unit, files written."""

    nodes: Table
    edges: Table
    unit: str
    measure: str
    n_units: int
    n_documents: int
    paths: list[Path] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """The node labels a drawing shows (masked unless personal data was asked for)."""
        return [str(r["term"]) for r in self.nodes.rows]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes.to_dict(),
            "edges": self.edges.to_dict(),
            "unit": self.unit,
            "measure": self.measure,
            "n_units": self.n_units,
            "n_documents": self.n_documents,
            "paths": [str(p) for p in self.paths],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class CAResult:
    """A correspondence analysis: principal inertias, coordinates of terms and groups, files written."""

    inertia: Table
    coordinates: Table
    variable: str
    n_documents: int
    paths: list[Path] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [str(r["label"]) for r in self.coordinates.rows]

    def to_dict(self) -> dict[str, Any]:
        return {
            "inertia": self.inertia.to_dict(),
            "coordinates": self.coordinates.to_dict(),
            "variable": self.variable,
            "n_documents": self.n_documents,
            "paths": [str(p) for p in self.paths],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class RulesResult:
    """Coding rules cross-tabulated by a variable: counts and % per group, χ² per code."""

    table: Table
    chi2: Table
    variable: str
    n_documents: int
    warnings: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table.to_dict(),
            "chi2": self.chi2.to_dict(),
            "variable": self.variable,
            "n_documents": self.n_documents,
            "warnings": [w.to_dict() for w in self.warnings],
        }


def ca_coordinates(result: Any, variable: str) -> Table:
    """Principal coordinates of terms (kind "term") and groups (kind = the variable)."""
    import pandas as pd

    coords = pd.concat([result.row_coords.assign(kind="term"), result.col_coords.assign(kind=variable)])
    coords.index = [str(i) for i in coords.index]
    frame = coords.rename_axis("label").reset_index()
    cols = ["label", "kind", *[c for c in frame.columns if c.startswith("dim")]]
    return Table.from_frame(frame[cols])


class TextMethods(WorkbenchCore):
    """Text-mining methods of :class:`chiiki.Workbench` (see the module docstring for the rule)."""

    def _mine(
        self, session: Session, include_personal: bool, selection: dict[str, Any]
    ) -> tuple[list[Doc], list[Message]]:
        from chiiki.hearings.privacy import Redaction

        red = Redaction.for_session(session, self.personal_allowed(include_personal))
        return mining_documents(session, red, Selection.of(selection))

    def text_freq(
        self,
        top: int | None = 50,
        *,
        out: str | Path | None = None,
        include_personal: bool = False,
        stopwords: str | Path | None = None,
        stopwords_mode: str = "add",
        **selection: Any,
    ) -> Table:
        """Term frequencies (tf, df) of the selection, the ``top`` first (all when None).

        ``out`` also writes the table as CSV. ``stopwords`` is a file of words (one a line) added
        to the built-in stop-word list, or replacing it with ``stopwords_mode="replace"``.
        """
        from chiiki.text import frequencies

        tok, used = analysis_tokenizer(stopwords, stopwords_mode)
        with self.session() as s:
            docs, notices = self._mine(s, include_personal, selection)
        with text_errors():
            frame = frequencies(docs, tok)
        if top is not None:
            frame = frame.head(top)
        title = msg("text.freq_title", "info", n=len(docs))
        table = Table.from_frame(frame, title=title, warnings=[*notices, used])
        if out is not None:
            write_csv(table, out)
        return table

    def text_kwic(
        self,
        term: str,
        *,
        width: int = 20,
        match: str = "token",
        out: str | Path | None = None,
        include_personal: bool = False,
        **selection: Any,
    ) -> Table:
        """Keyword in context: every occurrence of ``term`` with ``width`` characters either side.

        ``start``/``end`` are offsets into the stored document (what ``apply_code`` takes);
        ``document_id`` is the database id (for segments, of the segment's document).
        """
        from chiiki.hearings.privacy import Redaction
        from chiiki.text import kwic

        with self.session() as s:
            red = Redaction.for_session(s, self.personal_allowed(include_personal))
            docs, notices = mining_documents(s, red, Selection.of(selection))
        with text_errors():
            frame = kwic(docs, term, tokenizer(), width=width, match=match)
        by_id = {d.doc_id: d for d in docs}
        rows = []
        for r in frame.to_dict("records"):
            doc = by_id[r["doc_id"]]
            if "document_id" in doc.meta:  # a coded segment: offsets count from its start
                document_id, base = int(doc.meta["document_id"]), int(doc.meta["segment_start"])
            else:
                document_id, base = int(doc.doc_id), 0
            rows.append(
                {
                    "document_id": document_id,
                    "document": doc.meta.get("title", ""),
                    "left": r["left"],
                    "keyword": r["keyword"],
                    "right": r["right"],
                    "start": red.original_offset(document_id, base, int(r["start"])),
                    "end": red.original_offset(document_id, base, int(r["end"]), end=True),
                }
            )
        columns = ["document_id", "document", "left", "keyword", "right", "start", "end"]
        table = Table(columns, rows, title=msg("text.kwic_title", "info", term=term, n=len(rows)), warnings=notices)
        if out is not None:
            write_csv(table, out)
        return table

    def text_network(
        self,
        *,
        out: str | Path | None = None,
        unit: str = "document",
        top_n: int = 60,
        min_df: int = 2,
        measure: str = "jaccard",
        include_personal: bool = False,
        stopwords: str | Path | None = None,
        stopwords_mode: str = "add",
        **selection: Any,
    ) -> NetworkResult:
        """The co-occurrence network of the ``top_n`` strongest term pairs.

        ``out`` writes it: ``.png``/``.svg`` (drawn, labels in the workbench's language),
        ``.html`` (interactive, offline), ``.graphml`` or ``.csv`` (the edges). ``stopwords``:
        as in :meth:`text_freq`.
        """
        from chiiki.ingest.atomic import write_bytes
        from chiiki.text import cooccurrence

        if out is not None and Path(out).suffix.lower() not in NETWORK_SUFFIXES:
            raise WorkbenchError(
                msg("text.bad_output", "error", suffix=Path(out).suffix, choices=" ".join(NETWORK_SUFFIXES))
            )
        tok, used = analysis_tokenizer(stopwords, stopwords_mode)
        with self.session() as s:
            docs, notices = self._mine(s, include_personal, selection)
        with text_errors():
            net = cooccurrence(docs, tok, unit=unit, top_n=top_n, min_df=min_df, measure=measure)
        result = NetworkResult(
            nodes=Table.from_frame(net.nodes),
            edges=Table.from_frame(net.edges),
            unit=net.unit,
            measure=net.measure,
            n_units=net.n_units,
            n_documents=len(docs),
            warnings=[*notices, used, *net.warnings],
        )
        if out is not None:
            p = Path(out)
            suffix = p.suffix.lower()
            if suffix in IMAGE_SUFFIXES:
                from chiiki.text.netplot import network_image

                write_bytes(p, network_image(net, suffix.lstrip("."), self.lang))
            elif suffix == ".html":
                net.to_html(p, lang=self.lang)
            elif suffix == ".graphml":
                net.to_graphml(p)
            else:
                write_csv(result.edges, p)
            result.paths.append(p)
        return result

    def text_ca(
        self,
        variable: str = "hub",
        *,
        out: str | Path | None = None,
        csv: str | Path | None = None,
        top_n: int = 60,
        min_df: int = 2,
        include_personal: bool = False,
        stopwords: str | Path | None = None,
        stopwords_mode: str = "add",
        **selection: Any,
    ) -> CAResult:
        """Correspondence analysis of the frequent terms × the values of ``variable``.

        ``out`` draws the map (``.png``/``.svg``), ``csv`` writes the coordinates.
        ``stopwords``: as in :meth:`text_freq`.
        """
        from chiiki.ingest.atomic import write_bytes
        from chiiki.text import correspondence

        if out is not None and Path(out).suffix.lower() not in IMAGE_SUFFIXES:
            raise WorkbenchError(
                msg("text.bad_output", "error", suffix=Path(out).suffix, choices=" ".join(IMAGE_SUFFIXES))
            )
        tok, used = analysis_tokenizer(stopwords, stopwords_mode)
        with self.session() as s:
            docs, notices = self._mine(s, include_personal, selection)
        with text_errors():
            ca = correspondence(docs, tok, variable=variable, top_n=top_n, min_df=min_df)
        result = CAResult(
            inertia=Table.from_frame(ca.inertia, title=msg("text.ca_title", "info", variable=variable)),
            coordinates=ca_coordinates(ca, variable),
            variable=variable,
            n_documents=len(docs),
            warnings=[*notices, used, *ca.warnings],
        )
        if out is not None:
            p = Path(out)
            write_bytes(p, ca.image(p.suffix.lower().lstrip("."), lang=self.lang))
            result.paths.append(p)
        if csv is not None:
            result.paths.append(write_csv(result.coordinates, csv))
        return result

    def text_rules(
        self,
        rules_file: str | Path,
        variable: str = "hub",
        *,
        unit: str = "document",
        include_personal: bool = False,
        **selection: Any,
    ) -> RulesResult:
        """KH Coder-style coding rules applied to the selection, cross-tabulated by ``variable`` (χ²).

        Rules match any word of the cleaned text (stop words too: a rule names its words).
        """
        import pandas as pd

        from chiiki.text import CodingRules, crosstab

        path = Path(rules_file)
        if not path.is_file():
            raise WorkbenchError(msg("text.rules_file_missing", "error", file=str(path)))
        with text_errors():
            rules = CodingRules.from_file(path)
        with self.session() as s:
            docs, notices = self._mine(s, include_personal, selection)
        with text_errors():
            result = crosstab(docs, tokenizer(), rules, variable)
        table = result.table.reset_index().rename(columns={"index": variable})
        return RulesResult(
            table=Table.from_frame(table, title=msg("text.rules_title", "info", variable=variable)),
            chi2=Table.from_frame(pd.DataFrame(result.chi2)),
            variable=variable,
            n_documents=len(docs),
            warnings=[*notices, *result.warnings],
        )

    def text_report(
        self, out: str | Path = "text_report.html", *, include_personal: bool = False, **selection: Any
    ) -> Done:
        """Write the standalone hearings and text-mining page (one HTML file, images inline)."""
        from chiiki.ingest.atomic import write_text
        from chiiki.report.sections_hearings import page

        chapter = self.hearings_chapter(include_personal=include_personal, **selection)  # type: ignore[attr-defined]
        p = Path(out)
        write_text(p, page(chapter, self.tr))
        return Done(msg("text.report_written", "info", path=str(p)), paths=[p], warnings=list(chapter.messages))
