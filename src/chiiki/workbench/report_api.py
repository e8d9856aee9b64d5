"""Workbench methods for the survey report: which chapters it has and what each one is made of.

The report package renders; it never queries. This mixin is where the report's inputs are
gathered — the registry's programs and selections (with their sources) read in one session,
the factor analysis from :meth:`analyse`, the hearings chapter from :meth:`hearings_chapter`
with the personal-data rule applied — and where the policy lives: the chapter list, what a
failed analysis does to the report (the registry chapters are still written, and the report
says why the rest is missing), and what the caller may see.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import Message, msg
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

REPORT_FORMATS = ("html", "pdf", "xlsx")


@dataclass
class ReportResult:
    """What :meth:`ReportMethods.report` wrote: the files, the chapters, what to warn about."""

    out_dir: Path
    lang: str
    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    chapters: list[str] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    include_personal: bool = False
    include_samples: bool = False

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx) if p is not None]

    @property
    def message(self) -> Message:
        return msg("report.written", "info", n=len(self.paths), dir=str(self.out_dir))

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message.to_dict(),
            "out_dir": str(self.out_dir),
            "lang": self.lang,
            "paths": {
                k: str(p) if p else None for k, p in (("html", self.html), ("pdf", self.pdf), ("xlsx", self.xlsx))
            },
            "chapters": list(self.chapters),
            "warnings": [w.to_dict() for w in self.warnings],
            "timings": {k: round(float(v), 3) for k, v in self.timings.items()},
            "include_personal": self.include_personal,
            "include_samples": self.include_samples,
        }


def registry_frames(session: Session) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Programs and selections as the report reads them (:data:`chiiki.report.PROGRAM_COLUMNS`,
    :data:`chiiki.report.ADOPTION_COLUMNS`), through the registry's own export rows."""
    import pandas as pd

    from chiiki.registry.export import export_rows
    from chiiki.registry.families import family_msgid, family_of, family_order
    from chiiki.report.inputs import ADOPTION_COLUMNS, PROGRAM_COLUMNS

    _cols, program_rows = export_rows(session, "programs")
    programs = []
    for p in program_rows:
        family = p.get("family") or family_of(p["program_id"])
        programs.append(
            {**p, "family": family, "family_label": family_msgid(family), "family_order": family_order(family)}
        )
    _cols, adoption_rows = export_rows(session, "adoptions")
    adoptions = [{c: a.get(c) for c in ADOPTION_COLUMNS} for a in adoption_rows]
    return (
        pd.DataFrame(programs, columns=PROGRAM_COLUMNS),
        pd.DataFrame(adoptions, columns=ADOPTION_COLUMNS),
    )


def _failure(exc: BaseException) -> Message:
    """Why the analysis did not run, as a message (never a traceback, never document text)."""
    if isinstance(exc, WorkbenchError):
        return msg("report.no_analysis", "warning", detail=exc.message.to_dict())
    first = (str(exc).strip().splitlines() or [""])[0]
    return msg("report.no_analysis", "warning", detail=f"{type(exc).__name__}: {first}")


class ReportMethods(WorkbenchCore):
    """Report methods of :class:`chiiki.Workbench`."""

    def report(
        self,
        out_dir: str | os.PathLike[str],
        *,
        window: int = 5,
        cutoff: int | None = None,
        formats: tuple[str, ...] | list[str] = REPORT_FORMATS,
        include_personal: bool = False,
        include_samples: bool = False,
    ) -> ReportResult:
        """Write the survey report (report.html, report.pdf, report.xlsx) into ``out_dir``.

        Chapters: summary, data coverage, policy timeline, map, key factors, survival, QCA,
        hypothesis verdicts, the hearings chapter (when the database holds hearings or
        documents), appendix of selections with sources, reproducibility. ``window`` is the
        successor window in years and ``cutoff`` the cut-off FY of the analysis (default: the
        latest FY in the data). Text of personal-data documents and the names the hearing
        records know stay out unless ``include_personal`` is asked and allowed. Sample hearings
        and documents stay out of the tables, statistics and figures unless ``include_samples``
        (then each is marked); the report says how many it left out.
        """
        from chiiki.report import CHAPTERS, ReportError, ReportInputs, build_report
        from chiiki.report.build import check_request
        from chiiki.report.pdf import FontNotEmbeddedError, GlyphCoverageError
        from chiiki.report.sections_hearings import samples_left_out

        personal = self.personal_allowed(include_personal)
        try:
            check_request(formats, CHAPTERS)
        except ReportError as exc:
            raise WorkbenchError(exc.message, exit_code=2) from exc
        timings: dict[str, float] = {}
        start = step = time.perf_counter()
        with self.session() as s:
            programs, adoptions = registry_frames(s)
        timings["registry"] = time.perf_counter() - step

        step = time.perf_counter()
        analysis, error = None, None
        try:
            analysis = self.analyse(window=window, cutoff=cutoff)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - stated in the report and its warnings, not swallowed
            error = _failure(exc)
        timings["analysis"] = time.perf_counter() - step

        step = time.perf_counter()
        chapters = list(CHAPTERS)
        warnings: list[Message] = []
        hearings = None
        try:
            chapter = self.hearings_chapter(  # type: ignore[attr-defined]
                include_personal=personal, samples=include_samples
            )
        except WorkbenchError:
            raise
        except Exception as exc:  # noqa: BLE001 - a figure or a tokenizer must not sink the report
            warnings.append(msg("report.hearings_failed", "warning", detail=f"{type(exc).__name__}"))
            chapter = None
        if chapter is not None and (chapter.overview.rows or chapter.n_documents):
            hearings = chapter
            warnings.extend(getattr(chapter, "messages", None) or [])
        else:
            chapters.remove("hearings")
        timings["hearings"] = time.perf_counter() - step

        inputs = ReportInputs(
            programs=programs,
            adoptions=adoptions,
            analysis=analysis,
            analysis_error=error,
            hearings=hearings,
            chapters=tuple(chapters),
            include_samples=include_samples,
            samples_left_out=None if include_samples else samples_left_out(chapter),
        )
        out = Path(out_dir)
        try:
            files = build_report(inputs, out, self.lang, tuple(formats))
        except (GlyphCoverageError, FontNotEmbeddedError) as exc:
            kept = out / "report.html"
            details = [msg("report.html_kept", "info", path=str(kept))] if kept.exists() else []
            raise WorkbenchError(exc.message, details) from exc
        except ReportError as exc:
            raise WorkbenchError(exc.message, exit_code=2) from exc
        timings.update({("report" if k == "total" else k): v for k, v in files.timings.items()})
        timings["total"] = time.perf_counter() - start
        return ReportResult(
            out_dir=out,
            lang=self.lang,
            html=files.html,
            pdf=files.pdf,
            xlsx=files.xlsx,
            chapters=files.chapters,
            warnings=files.warnings + warnings,
            timings=timings,
            include_personal=personal,
            include_samples=include_samples,
        )
