"""Build the survey report: one self-contained HTML, its PDF, and a workbook of its tables.

Flow: registry frames (programs, selections) → factor analysis (``chiiki.factors``, run here
unless the caller passes a result) → section contexts → Jinja templates → HTML → PDF
(WeasyPrint, glyph- and font-checked) → XLSX. The HTML is written first so that a PDF failure
still leaves a readable report, and the error names the missing characters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.report.i18n import check_lang, t, translator

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

FORMATS = ("html", "pdf", "xlsx")
TEMPLATE_DIR = Path(__file__).parent / "templates"


class UnknownFormatError(ValueError):
    """A format other than html, pdf and xlsx."""


@dataclass
class ReportPaths:
    """Where the report files went, how long each step took, and what to warn about."""

    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def paths(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx) if p is not None]


def analysis_params(params: Any = None, lang: str = "ja", cutoff_fy: int | None = None) -> Any:
    """``AnalysisParams`` from a dict (or a ready object), with the report's language.

    The language matters to the engine: factor labels are written in it.
    """
    from dataclasses import replace

    from chiiki.factors import AnalysisParams

    if params is None:
        p = AnalysisParams()
    elif isinstance(params, dict):
        p = AnalysisParams(**params)
    else:
        p = params
    changes: dict[str, Any] = {"lang": lang}
    if cutoff_fy is not None:
        changes["cutoff_fy"] = cutoff_fy
    return replace(p, **changes)


def run_factor_analysis(session: Session, params: Any = None, lang: str = "ja", cutoff_fy: int | None = None) -> Any:
    """The engine's result for this database (kept apart so callers can time it)."""
    from chiiki.factors import load_analysis_data, run_analysis

    data = load_analysis_data(session, cutoff_fy=cutoff_fy)
    return run_analysis(data, analysis_params(params, lang, cutoff_fy))


def _frame(obj: Any, name: str) -> pd.DataFrame | None:
    import pandas as pd

    value = getattr(obj, name, None) if obj is not None else None
    return value if isinstance(value, pd.DataFrame) else None


def build_context(
    session: Session, analysis: Any, lang: str, error: str | None = None, map_style: str = "auto"
) -> dict[str, Any]:
    """Everything the templates show, plus the frames for the workbook under ``frames``."""
    from chiiki.report import sections_analysis as sa
    from chiiki.report import sections_registry as sr
    from chiiki.report.registry_view import adoption_frame, program_frame

    programs = program_frame(session, lang)
    adoptions = adoption_frame(session, lang)
    outcomes = _frame(analysis, "outcomes")
    sources = sr.SourceIndex()
    coverage = sr.coverage_section(programs, adoptions, _frame(analysis, "coverage"), lang, sources)
    timeline = sr.timeline_section(adoptions, lang)
    japan = sr.map_section(adoptions, outcomes, lang, map_style)
    appendix = sr.appendix_section(adoptions, outcomes, lang, sources)
    verdicts = list(getattr(analysis, "verdicts", None) or [])
    labels = sa.factor_labels(_frame(analysis, "key_factors"))
    starts = adoptions["start_fy"].dropna()
    n_known = int(outcomes["successor"].notna().sum()) if outcomes is not None else None
    exclusions = dict(getattr(analysis, "exclusions", None) or {})
    context = {
        "summary": {
            "n_programs": len(programs),
            "n_adoptions": len(adoptions),
            "fy_range": f"{int(starts.min())}–{int(starts.max())}" if len(starts) else "—",
            "n_outcome_known": n_known,
            "cutoff": (getattr(analysis, "parameters", None) or {}).get("cutoff_fy"),
            "warnings": list(getattr(analysis, "warnings", None) or []),
            "findings": sa.headline_factors(
                _frame(analysis, "key_factors"),
                lang,
                float((getattr(analysis, "parameters", None) or {}).get("alpha", 0.05)),
            ),
            "has_analysis": analysis is not None,
            "error": error,
        },
        "coverage": coverage,
        "timeline": timeline,
        "japan": japan,
        "factors": sa.factors_section(_frame(analysis, "key_factors"), lang),
        "survival": sa.survival_section(
            getattr(analysis, "survival", None), lang, getattr(analysis, "survival_reason", None), labels
        ),
        "qca": sa.qca_section(getattr(analysis, "qca", None), lang, getattr(analysis, "qca_reason", None), labels),
        "verdicts": sa.verdicts_section(verdicts, lang, getattr(analysis, "robustness", None)),
        "exclusions": sorted(exclusions.items()),
        "appendix": appendix,
        "repro": sa.repro_section(analysis, lang),
    }
    context["frames"] = workbook_frames(context, analysis, verdicts, lang)
    return context


def workbook_frames(context: dict[str, Any], analysis: Any, verdicts: list[Any], lang: str) -> dict[str, pd.DataFrame]:
    import pandas as pd

    from chiiki.report.sections_analysis import robustness_frame, verdict_frame

    def or_empty(frame: pd.DataFrame | None) -> pd.DataFrame:
        return frame if frame is not None else pd.DataFrame()

    survival = getattr(analysis, "survival", None)
    qca = getattr(analysis, "qca", None)
    solutions = getattr(qca, "solutions", None) or {}
    fit = getattr(qca, "solution_fit", None)
    repro = context["repro"]
    return {
        t("sheet_coverage", lang): context["coverage"]["frame"],
        t("sheet_key_factors", lang): or_empty(_frame(analysis, "key_factors")),
        t("sheet_outcomes", lang): or_empty(_frame(analysis, "outcomes")),
        t("sheet_exclusions", lang): pd.DataFrame(context["exclusions"], columns=["reason", "count"]),
        t("sheet_truth_table", lang): or_empty(_frame(qca, "truth_table")),
        t("sheet_solutions", lang): pd.DataFrame(
            [(k, i, str(term)) for k, terms in solutions.items() for i, term in enumerate(terms, 1)],
            columns=["solution", "no", "term"],
        ),
        "qca_fit": (
            pd.DataFrame(list(fit.items()), columns=["key", "value"])
            if isinstance(fit, dict)
            else or_empty(fit if isinstance(fit, pd.DataFrame) else None)
        ),
        t("sheet_necessity", lang): or_empty(_frame(qca, "necessity")),
        t("sheet_km", lang): or_empty(_frame(survival, "curves")),
        "cox": or_empty(_frame(survival, "cox_summary")),
        t("sheet_verdicts", lang): verdict_frame(verdicts),
        "robustness": robustness_frame(getattr(analysis, "robustness", None)),
        t("sheet_adoptions", lang): context["appendix"]["frame"],
        "timeline": context["timeline"]["frame"],
        "prefectures": context["japan"]["frame"],
        t("sheet_parameters", lang): pd.DataFrame(
            [("data_hash", repro["data_hash"]), ("report_date", repro["date"])]
            + list((getattr(analysis, "parameters", None) or {}).items())
            + [(f"version:{k}", v) for k, v in repro["versions"]],
            columns=["parameter", "value"],
        ),
    }


def render_html(context: dict[str, Any], lang: str, extra_chapters: list[tuple[str, str]] | tuple = ()) -> str:
    import jinja2

    from chiiki.report.pdf import font_face_css

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = font_face_css() + (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    chapters = [{"id": f"extra-{i}", "title": title, "html": body} for i, (title, body) in enumerate(extra_chapters, 1)]
    return env.get_template("report.html.j2").render(
        t=translator(lang), lang=lang, css=css, extra_chapters=chapters, **context
    )


def build_report(
    session: Session,
    out_dir: Path,
    lang: str = "ja",
    params: Any = None,
    formats: tuple[str, ...] | list[str] = FORMATS,
    extra_chapters: list[tuple[str, str]] | tuple = (),
    *,
    cutoff_fy: int | None = None,
    analysis: Any = None,
    map_style: str = "auto",
) -> ReportPaths:
    """Write report.html / report.pdf / report.xlsx into ``out_dir``.

    ``params`` is a dict of ``chiiki.factors.AnalysisParams`` fields (or such an object).
    ``analysis`` lets a caller pass a ready ``FactorAnalysis`` (benchmarks, tests); otherwise
    the engine runs here with ``params`` and ``cutoff_fy``. If the engine fails, the report is
    still written with the registry sections and the error is stated in its summary and in
    ``ReportPaths.warnings`` — an incomplete report that says so beats no report.
    """
    check_lang(lang)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise UnknownFormatError(f"unknown format(s) {sorted(unknown)}; use {FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ReportPaths()
    error = None
    start = time.perf_counter()
    if analysis is None:
        try:
            analysis = run_factor_analysis(session, params, lang, cutoff_fy)
        except Exception as exc:  # noqa: BLE001 - reported in the document, not swallowed
            error = f"{type(exc).__name__}: {exc}"
            result.warnings.append(f"{t('no_analysis', lang)}: {error}")
        result.timings["analysis"] = time.perf_counter() - start
    result.warnings.extend(getattr(analysis, "warnings", None) or [])
    step = time.perf_counter()
    context = build_context(session, analysis, lang, error, map_style)
    result.timings["context_and_charts"] = time.perf_counter() - step
    step = time.perf_counter()
    html = render_html(context, lang, extra_chapters)
    if "html" in formats:
        from chiiki.report.pdf import browser_font_css, font_face_css

        # The HTML file travels: no file:// font path of this machine in it (the PDF embeds
        # the font; a browser uses the reader's Japanese fonts).
        result.html = out_dir / "report.html"
        result.html.write_text(html.replace(font_face_css(), browser_font_css(), 1), encoding="utf-8")
    result.timings["html"] = time.perf_counter() - step
    if "pdf" in formats:
        from chiiki.report.pdf import write_pdf

        step = time.perf_counter()
        result.pdf = write_pdf(html, out_dir / "report.pdf")
        result.timings["pdf"] = time.perf_counter() - step
    if "xlsx" in formats:
        from chiiki.report.xlsx import write_xlsx

        step = time.perf_counter()
        result.xlsx = write_xlsx(context["frames"], out_dir / "report.xlsx")
        result.timings["xlsx"] = time.perf_counter() - step
    result.timings["total"] = time.perf_counter() - start
    return result
