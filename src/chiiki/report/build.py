"""Build the survey report: one self-contained HTML, its PDF, and a workbook of its tables.

Flow: :class:`~chiiki.report.inputs.ReportInputs` (registry frames, the factor analysis, the
hearings chapter — gathered by ``chiiki.Workbench.report``) → section contexts, in the
report's language → Jinja templates (i18n extension, the one message catalogue) → HTML → PDF
(WeasyPrint, glyph- and font-checked) → XLSX. Nothing here reads a database or recomputes a
statistic. The HTML is written first so that a PDF failure still leaves a readable report, and
the error names the missing characters.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import N_, Message, Translator, check_lang, msg, translator
from chiiki.report.inputs import CHAPTERS, ReportInputs

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("html", "pdf", "xlsx")
TEMPLATE_DIR = Path(__file__).parent / "templates"

CHAPTER_TITLES: dict[str, str] = {
    "summary": N_("Summary"),
    "coverage": N_("Data coverage"),
    "timeline": N_("Policy timeline (selections per program family and FY)"),
    "map": N_("Selections and successor rate by prefecture"),
    "methods": N_("Methods: how the key factors were estimated"),
    "factors": N_("Key factors"),
    "sensitivity": N_("Sensitivity of the key factors"),
    "survival": N_("Time to a successor adoption (Kaplan-Meier)"),
    "competing": N_("Competing outcomes after the program ends"),
    "qca": N_("Qualitative comparative analysis (QCA)"),
    "verdicts": N_("Hypothesis verdicts"),
    "appendix": N_("Appendix: selections and sources"),
    "repro": N_("Reproducibility"),
}
# Sheet names of report.xlsx (Excel allows 31 characters, none of []:*?/\).
SHEETS: dict[str, str] = {
    "coverage": N_("Coverage"),
    "key_factors": N_("Key factor table"),
    "outcomes": N_("Outcomes"),
    "exclusions": N_("Exclusions"),
    "truth_table": N_("Truth table"),
    "solutions": N_("QCA solutions"),
    "qca_fit": N_("QCA fit"),
    "necessity": N_("Necessity"),
    "km": N_("KM curves"),
    "cox": N_("Cox model"),
    "verdicts": N_("Verdicts"),
    "robustness": N_("Robustness"),
    "sensitivity": N_("Sensitivity"),
    "cif": N_("Cumulative incidence"),
    "cause_specific": N_("Cause-specific Cox"),
    "adoptions": N_("Selections and sources"),
    "timeline": N_("Selections per FY"),
    "prefectures": N_("Prefectures"),
    "parameters": N_("Parameters"),
    "hearings": N_("Hearings"),
    "codes": N_("Coded segments"),
}
# Why a sheet has no rows, said in its first row (report.xlsx): a reader of an empty sheet
# must not wonder whether the table was lost.
NOTE_NO_ANALYSIS = N_("No rows: the analysis did not run ({reason}).")
NOTE_REASON = N_("No rows: {reason}")
NOTE_NO_HEARINGS = N_("No rows: no hearings or documents have been imported (chiiki hearing import).")
NOTE_NO_CODES = N_("No rows: no coded segments yet (chiiki hearing code).")
NOTE_NO_TIMELINE = N_("No rows: no selection has a known start FY.")
NOTE_EMPTY = N_("No rows: these data give this table nothing to show.")
ANALYSIS_SHEETS = (
    "key_factors",
    "outcomes",
    "exclusions",
    "truth_table",
    "solutions",
    "qca_fit",
    "necessity",
    "km",
    "cox",
    "verdicts",
    "robustness",
    "sensitivity",
    "cif",
    "cause_specific",
)
SAMPLES_LEFT_OUT = N_(
    "Sample records left out of this report: {hearings} hearing(s) and {documents} document(s) "
    "(chiiki report --include-samples shows them, marked)."
)
SAMPLES_SHOWN = N_("This report includes sample records; each is marked {mark}.")


class ReportError(ValueError):
    """A report that cannot be made as asked; ``message`` says why in the reader's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.code)
        self.message = message


class UnknownFormatError(ReportError):
    """A format other than html, pdf and xlsx."""


@dataclass
class ReportFiles:
    """Where the report files went, how long each step took, and what to warn about."""

    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    chapters: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Message] = field(default_factory=list)

    def paths(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx) if p is not None]


def _frame(obj: Any, name: str) -> pd.DataFrame | None:
    import pandas as pd

    value = getattr(obj, name, None) if obj is not None else None
    return value if isinstance(value, pd.DataFrame) else None


def chapter_titles(inputs: ReportInputs, tr: Translator) -> list[dict[str, str]]:
    """The chapters this report has, in reading order, with their titles."""
    out = []
    for chapter in CHAPTERS:
        if not inputs.has(chapter):
            continue
        if chapter == "hearings":
            from chiiki.report.sections_hearings import TITLE

            title = tr.gettext(TITLE)
        else:
            title = tr.gettext(CHAPTER_TITLES[chapter])
        out.append({"id": chapter, "title": title})
    return out


def build_context(inputs: ReportInputs, tr: Translator, generated: dt.datetime) -> dict[str, Any]:
    """Everything the templates show, plus the frames for the workbook under ``frames``."""
    from chiiki.report import sections_analysis as sa
    from chiiki.report import sections_design as sd
    from chiiki.report import sections_registry as sr
    from chiiki.report.registry_view import adoption_view, program_view

    programs = program_view(inputs.programs, tr.lang)
    adoptions = adoption_view(inputs.adoptions, programs)
    analysis = inputs.analysis
    key_factors = _frame(analysis, "key_factors")
    outcomes = _frame(analysis, "outcomes")
    names = sa.Names(tr, key_factors, dict(zip(programs["family"], programs["family_label"], strict=True)))
    sources = sr.SourceIndex()
    coverage = sr.coverage_section(programs, adoptions, _frame(analysis, "coverage"), tr, sources)
    verdicts = list(getattr(analysis, "verdicts", None) or [])
    starts = adoptions["start_fy"].dropna()
    params = dict(getattr(analysis, "parameters", None) or {})
    toc = chapter_titles(inputs, tr)
    context: dict[str, Any] = {
        "toc": toc,
        "titles": {c["id"]: c["title"] for c in toc},
        "summary": {
            "n_programs": len(programs),
            "n_adoptions": len(adoptions),
            "fy_range": f"{int(starts.min())}–{int(starts.max())}" if len(starts) else "—",
            "budget": sr.budget_summary(adoptions, tr),
            "n_outcome_known": int(outcomes["successor"].notna().sum()) if outcomes is not None else None,
            "cutoff": params.get("cutoff_fy"),
            "warnings": sa.shown(getattr(analysis, "warnings", None), tr),
            "survivors": sd.survivors(key_factors, names, float(params.get("alpha", 0.05))),
            "has_analysis": analysis is not None,
            "error": tr.render(inputs.analysis_error) if inputs.analysis_error else None,
        },
        "coverage": coverage,
        "timeline": sr.timeline_section(adoptions, tr) if inputs.has("timeline") else None,
        "japan": sr.map_section(adoptions, outcomes, tr, inputs.map_style) if inputs.has("map") else None,
        "methods": sd.methods_section(analysis, names) if inputs.has("methods") else None,
        "factors": sa.factors_section(key_factors, names) if inputs.has("factors") else None,
        "sensitivity": sd.sensitivity_section(analysis, names) if inputs.has("sensitivity") else None,
        "competing": sd.competing_section(analysis, names) if inputs.has("competing") else None,
        "survival": sa.survival_section(
            getattr(analysis, "survival", None), getattr(analysis, "survival_reason", None), names
        )
        if inputs.has("survival")
        else None,
        "qca": sa.qca_section(getattr(analysis, "qca", None), getattr(analysis, "qca_reason", None), names)
        if inputs.has("qca")
        else None,
        "verdicts": sa.verdicts_section(verdicts, getattr(analysis, "robustness", None), names),
        "exclusions": sa.exclusions_section(analysis, tr),
        "appendix": sr.appendix_section(adoptions, outcomes, tr, sources),
        "repro": sa.repro_section(analysis, tr, generated),
        "hearings_html": "",
        "samples": samples_note(inputs, tr),
    }
    if inputs.has("hearings"):
        from chiiki.report.sections_hearings import render

        context["hearings_html"] = render(inputs.hearings, tr, heading=False)
    context["frames"], context["notes"] = workbook_frames(context, analysis, verdicts, names, inputs)
    return context


def samples_note(inputs: ReportInputs, tr: Translator) -> str | None:
    """What the report says about sample records: how many it left out, or that the ones it
    shows are marked (the title page and the summary print it)."""
    from chiiki.report.sections_hearings import sample_mark, samples_left_out

    if inputs.include_samples:
        return tr.gettext(SAMPLES_SHOWN).format(mark=sample_mark(tr))
    counts = inputs.samples_left_out or samples_left_out(inputs.hearings)
    if not counts["hearings"] and not counts["documents"]:
        return None
    return tr.gettext(SAMPLES_LEFT_OUT).format(**counts)


def workbook_frames(
    context: dict[str, Any], analysis: Any, verdicts: list[Any], names: Any, inputs: ReportInputs | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """``({sheet name: frame}, {sheet name: note})``: values, not formatted strings; sheet
    names, column headers and messages in the report's language; a note for every sheet that
    has no rows, saying why."""
    import pandas as pd

    from chiiki.report.sections_analysis import rendered_frame, robustness_frame, verdict_frame
    from chiiki.report.sections_design import competing_frames
    from chiiki.report.sections_hearings import workbook_tables

    tr = names.tr
    survival = getattr(analysis, "survival", None)
    qca = getattr(analysis, "qca", None)
    solutions = getattr(qca, "solutions", None) or {}
    fit = getattr(qca, "solution_fit", None)
    repro = context["repro"]
    empty = pd.DataFrame()
    competing = competing_frames(analysis)
    hearings, codes = workbook_tables(getattr(inputs, "hearings", None), tr)
    sheets: dict[str, pd.DataFrame] = {
        "coverage": context["coverage"]["frame"],
        "key_factors": rendered_frame(_frame(analysis, "key_factors"), tr),
        "outcomes": rendered_frame(_frame(analysis, "outcomes"), tr),
        "exclusions": pd.DataFrame(
            [(e["key"], e["count"], e["text"]) for e in context["exclusions"]], columns=["reason", "count", "text"]
        ),
        "truth_table": rendered_frame(_frame(qca, "truth_table"), tr),
        "solutions": pd.DataFrame(
            [(k, i, str(term)) for k, terms in solutions.items() for i, term in enumerate(terms, 1)],
            columns=["solution", "no", "term"],
        ),
        "qca_fit": (
            pd.DataFrame(list(fit.items()), columns=["key", "value"])
            if isinstance(fit, dict)
            else rendered_frame(fit if isinstance(fit, pd.DataFrame) else None, tr)
        ),
        "necessity": rendered_frame(_frame(qca, "necessity"), tr),
        "km": rendered_frame(_frame(survival, "curves"), tr),
        "cox": rendered_frame(_frame(survival, "cox_summary"), tr),
        "verdicts": verdict_frame(verdicts, names),
        "robustness": rendered_frame(robustness_frame(getattr(analysis, "robustness", None)), tr),
        "sensitivity": rendered_frame(_frame(analysis, "sensitivity"), tr),
        "cif": rendered_frame(competing["cif"], tr),
        "cause_specific": rendered_frame(competing["cause_specific"], tr),
        "adoptions": context["appendix"]["frame"],
        "timeline": context["timeline"]["frame"] if context["timeline"] else empty,
        "prefectures": context["japan"]["frame"] if context["japan"] else empty,
        "hearings": hearings,
        "codes": codes,
        "parameters": pd.DataFrame(
            [("data_hash", repro["data_hash"]), ("report_date", repro["timestamp"]), ("time_zone", repro["zone"])]
            + [(k, _parameter_value(v)) for k, v in (getattr(analysis, "parameters", None) or {}).items()]
            + [(f"version:{k}", v) for k, v in repro["versions"]],
            columns=["parameter", "value"],
        ),
    }
    frames: dict[str, pd.DataFrame] = {}
    notes: dict[str, str] = {}
    for key, frame in sheets.items():
        name = tr.gettext(SHEETS[key])
        frames[name] = frame.set_axis(headers(list(frame.columns), tr), axis=1)
        if frame.empty:
            notes[name] = empty_note(key, analysis, inputs, tr)
    return frames, notes


def headers(columns: list[Any], tr: Translator) -> list[str]:
    """Column headers in the reader's language, each once: a label two columns share gets the
    column's key after it (a workbook header is read by people and by pandas alike)."""
    from chiiki.report.labels import column_label

    labels = [column_label(str(c), tr) for c in columns]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [f"{label} ({c})" if seen[label] > 1 else label for label, c in zip(labels, columns, strict=True)]


def empty_note(key: str, analysis: Any, inputs: ReportInputs | None, tr: Translator) -> str:
    """Why sheet ``key`` has no rows, in the reader's language."""
    if key in ANALYSIS_SHEETS and analysis is None:
        error = getattr(inputs, "analysis_error", None)
        return tr.gettext(NOTE_NO_ANALYSIS).format(reason=tr.render(error) if error else "—")
    reason = None
    if key in ("truth_table", "solutions", "qca_fit", "necessity"):
        reason = getattr(analysis, "qca_reason", None)
    elif key in ("km", "cox"):
        reason = getattr(analysis, "survival_reason", None)
    if reason is not None:
        return tr.gettext(NOTE_REASON).format(reason=tr.render(reason))
    if key == "hearings":
        return tr.gettext(NOTE_NO_HEARINGS)
    if key == "codes":
        return tr.gettext(NOTE_NO_CODES)
    if key == "timeline":
        return tr.gettext(NOTE_NO_TIMELINE)
    return tr.gettext(NOTE_EMPTY)


def column_note_header() -> str:
    """The header of the note column on a sheet that has no columns at all."""
    return N_("Note")


def _parameter_value(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def environment(tr: Translator) -> Any:
    """The Jinja environment of the templates, its ``_()`` bound to the report's language."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(tr.gnu, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(context: dict[str, Any], tr: Translator) -> str:
    from chiiki.report.pdf import font_face_css

    css = font_face_css() + (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    return environment(tr).get_template("report.html.j2").render(lang=tr.lang, css=css, **context)


def check_request(formats: tuple[str, ...] | list[str], chapters: tuple[str, ...] | list[str]) -> None:
    """Refuse unknown formats and chapters before anything is computed."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UnknownFormatError(
            msg("report.unknown_format", "error", formats=", ".join(unknown), choices=", ".join(FORMATS))
        )
    unknown = sorted(set(chapters) - set(CHAPTERS))
    if unknown:
        raise ReportError(
            msg("report.unknown_chapter", "error", chapters=", ".join(unknown), choices=", ".join(CHAPTERS))
        )


def build_report(
    inputs: ReportInputs,
    out_dir: Path | str,
    lang: str = "ja",
    formats: tuple[str, ...] | list[str] = FORMATS,
    *,
    generated: dt.datetime | None = None,
) -> ReportFiles:
    """Write report.html / report.pdf / report.xlsx into ``out_dir`` from ``inputs``.

    A report without an analysis (``inputs.analysis`` None) still has the registry chapters and
    states ``inputs.analysis_error`` in its summary — an incomplete report that says so beats no
    report. ``generated`` (default now; a naive time is UTC) is printed on the title page in
    Japan Standard Time, with the zone.
    """
    check_lang(lang)
    check_request(formats, inputs.chapters)
    tr = translator(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = ReportFiles()
    if inputs.analysis_error is not None:
        result.warnings.append(inputs.analysis_error)
    result.warnings.extend(getattr(inputs.analysis, "warnings", None) or [])
    start = time.perf_counter()
    context = build_context(inputs, tr, generated or dt.datetime.now(dt.UTC))
    result.chapters = [c["id"] for c in context["toc"]]
    result.timings["context_and_charts"] = time.perf_counter() - start
    step = time.perf_counter()
    html = render_html(context, tr)
    if "html" in formats:
        from chiiki.ingest.atomic import write_text
        from chiiki.report.pdf import browser_font_css, font_face_css

        # The HTML file travels: no file:// font path of this machine in it, the font's glyphs
        # inside it instead. Written whole or not at all (a full disk keeps the previous file).
        result.html = out / "report.html"
        write_text(result.html, html.replace(font_face_css(), browser_font_css(html), 1))
    result.timings["html"] = time.perf_counter() - step
    if "pdf" in formats:
        from chiiki.report.pdf import write_pdf

        step = time.perf_counter()
        result.pdf = write_pdf(html, out / "report.pdf")
        result.timings["pdf"] = time.perf_counter() - step
    if "xlsx" in formats:
        from chiiki.report.xlsx import write_xlsx

        step = time.perf_counter()
        result.xlsx = write_xlsx(
            context["frames"], out / "report.xlsx", context["notes"], tr.gettext(column_note_header())
        )
        result.timings["xlsx"] = time.perf_counter() - step
    result.timings["total"] = time.perf_counter() - start
    return result
