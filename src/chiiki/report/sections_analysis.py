"""Template context for the sections drawn from the factor analysis result.

The report never recomputes a statistic: it formats ``chiiki.factors.FactorAnalysis`` attributes
(key factors, survival, QCA, verdicts) and shows each result's n, missing data and warnings.
The result is language-free — labels, evidence, warnings and verdict reasons are
:class:`~chiiki.i18n.Message` objects — and is rendered here in the report's language.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping
from importlib import metadata
from typing import Any

import pandas as pd

from chiiki.i18n import N_, Message, Translator, msg
from chiiki.report import charts, fmt
from chiiki.report.labels import ALL_FAMILIES, column_label, label

VERSION_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "lifelines",
    "firthmodels",
    "matplotlib",
    "matplotlib-fontja",
    "japanmap",
    "weasyprint",
    "openpyxl",
    "sqlalchemy",
    "babel",
)

P_COLUMNS = ("p_value", "p_adjusted", "p")
FACTOR_TABLE_COLUMNS = (
    N_("Factor"),
    N_("Outcome"),
    N_("Method"),
    N_("Adjusted for family and era (95% CI)"),
    N_("Hub-clustered CI"),
    N_("p"),
    N_("Adjusted p"),
    N_("Crude estimate (95% CI), p"),
    N_("n (events)"),
    N_("Missing"),
    N_("Warnings"),
    N_("Evidence"),
)
ALL_FAMILIES_MARKER = "(none)"  # the engine's first leave-one-family-out row: all data


def is_message(value: object) -> bool:
    return isinstance(value, Message) or (isinstance(value, Mapping) and "code" in value and "params" in value)


def show(value: object, tr: Translator, sep: str = "; ") -> str:
    """A cell as text in the report's language: messages rendered, lists of them joined."""
    if is_message(value):
        return tr.render(value)  # type: ignore[arg-type]
    if isinstance(value, list | tuple) and value and all(is_message(v) for v in value):
        return sep.join(tr.render(v) for v in value)
    return fmt.text(value)


def shown(messages: Any, tr: Translator) -> list[str]:
    """Messages (warnings, notices) as sentences in the report's language."""
    return [show(m, tr) for m in (messages or [])]


def rendered_frame(frame: pd.DataFrame | None, tr: Translator) -> pd.DataFrame:
    """A copy of ``frame`` whose message cells are text in the report's language (workbook)."""
    if frame is None or not isinstance(frame, pd.DataFrame):
        return pd.DataFrame()
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [_cell_text(v, tr) for v in out[col]]
    return out


def _cell_text(value: object, tr: Translator) -> object:
    if is_message(value):
        return tr.render(value)  # type: ignore[arg-type]
    if isinstance(value, list | tuple):
        return "; ".join(str(_cell_text(v, tr)) for v in value)
    return value


class Names:
    """Factor, outcome and family names in the report's language, for tables and charts."""

    def __init__(self, tr: Translator, key_factors: pd.DataFrame | None, families: Mapping[str, str] | None = None):
        self.tr = tr
        self.factors: dict[str, str] = {}
        if key_factors is not None and not key_factors.empty and "factor_label" in key_factors:
            for name, label in zip(key_factors["factor"], key_factors["factor_label"], strict=True):
                self.factors.setdefault(str(name), show(label, tr))
        self.families = dict(families or {})

    def factor(self, name: object) -> str:
        if name is None or fmt.is_missing(name):
            return fmt.MISSING
        key = str(name)
        if key not in self.factors:
            try:
                from chiiki.factors import factor_label

                self.factors[key] = self.tr.render(factor_label(key))
            except (KeyError, LookupError, ValueError, ImportError, AttributeError):
                self.factors[key] = key
        return self.factors[key]

    def outcome(self, name: object) -> str:
        if name is None or fmt.is_missing(name):
            return fmt.MISSING
        return self._message(f"factors.outcome.{name}", str(name))

    def status(self, status: str) -> str:
        return self._message(f"factors.status.{status}", status)

    def solution(self, kind: str) -> str:
        return self._message(f"factors.qca_solution.{kind}", kind)

    def family(self, family: object) -> str:
        if family == ALL_FAMILIES_MARKER:
            return self.tr.gettext(ALL_FAMILIES)
        return self.families.get(str(family), str(family))

    def _message(self, code: str, fallback: str) -> str:
        try:
            return self.tr.render(msg(code, "info"))
        except KeyError:
            return fallback


def _table(frame: pd.DataFrame | None, names: Names, factor_columns: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A generic table: known column names translated, p-values as p-values, factor names as
    their labels (also when a column *is* a factor, as in a truth table); other cells shown."""
    if frame is None or not isinstance(frame, pd.DataFrame):
        return None
    tr = names.tr
    columns = [str(c) for c in frame.columns]
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for col, value in zip(columns, row, strict=True):
            if col in P_COLUMNS:
                cells.append(fmt.pvalue(value))
            elif col in ("factor", "condition", *factor_columns) and isinstance(value, str):
                cells.append(names.factor(value))
            elif col == "outcome" and isinstance(value, str):
                cells.append(names.outcome(value))
            elif col == "left_out":
                cells.append(names.family(value))
            elif col == "solution" and isinstance(value, str):
                cells.append(names.solution(value))
            else:
                cells.append(show(value, tr))
        rows.append(cells)
    heads = []
    for c in columns:
        label = column_label(c, tr)
        heads.append(names.factor(c) if label == c and c in names.factors else label)
    return {"columns": heads, "rows": rows}


def _with_hypothesis(label: str, hypothesis: object) -> str:
    """The factor's label marked with its hypothesis (``[H1]``) unless the label names it."""
    if not isinstance(hypothesis, str) or not hypothesis or f"({hypothesis})" in label or hypothesis in label:
        return label
    return f"{label} [{hypothesis}]"


def factors_section(key_factors: pd.DataFrame | None, names: Names) -> dict[str, Any]:
    """The key-factor table and forest plot: the primary rows (adjusted for program family and
    start era, hub-clustered), each with the crude estimate beside it for comparison.

    Why the primary rows: they are the ones graded and read by the verdicts; a crude row alone
    would show the confounding by program design the adjustment removes. Rows without an
    estimate are listed apart, grouped by factor and reason.
    """
    from chiiki.report.sections_design import crude_rows, crude_text, estimate_ci, primary

    tr = names.tr
    if key_factors is None or key_factors.empty:
        return {"table": None, "untestable": None, "image": None}
    prim = primary(key_factors)
    crude = crude_rows(key_factors)
    hypotheses = prim["hypothesis"] if "hypothesis" in prim else [None] * len(prim)
    view = prim.assign(
        factor_label=[_with_hypothesis(names.factor(f), h) for f, h in zip(prim["factor"], hypotheses, strict=True)],
        outcome_label=[show(o, tr) for o in prim["outcome_label"]]
        if "outcome_label" in prim
        else [names.outcome(o) for o in prim["outcome"]],
        method_text=[show(m, tr) for m in prim["method_label"]]
        if "method_label" in prim
        else [fmt.text(m) for m in prim["method"]],
        warnings_text=[show(w, tr) if w else "" for w in prim["warnings"]],
        evidence_text=[show(e, tr) for e in prim["evidence_label"]]
        if "evidence_label" in prim
        else [fmt.text(e) for e in prim["evidence"]],
        crude_estimate=[
            c["estimate"] if c is not None else float("nan")
            for c in (crude.get((str(f), str(o))) for f, o in zip(prim["factor"], prim["outcome"], strict=True))
        ],
    )
    plottable, untestable = charts.forest_rows(view)
    png = charts.forest_plot(plottable, tr)
    rows = []
    for _, r in plottable.iterrows():
        c = crude.get((str(r["factor"]), str(r["outcome"])))
        n_events = r.get("n_events")
        rows.append(
            [
                r["factor_label"],
                r["outcome_label"],
                r["method_text"],
                estimate_ci(r["estimate"], r["ci_low"], r["ci_high"]),
                fmt.ci(r.get("cluster_ci_low"), r.get("cluster_ci_high")),
                fmt.pvalue(r["p_value"]),
                fmt.pvalue(r["p_adjusted"]),
                crude_text(c) if c is not None and r.get("analysis") != "crude" else fmt.MISSING,
                f"{fmt.integer(r['n'])} ({fmt.integer(n_events)})",
                fmt.integer(r["n_missing"]),
                r["warnings_text"] or fmt.MISSING,
                r["evidence_text"],
            ]
        )
    columns = [tr.gettext(c) for c in FACTOR_TABLE_COLUMNS]
    nowrap = [5, 6, 8, 9]
    widths = [11, 8, 9, 9, 7, 5, 6, 9, 6, 4, 14, 12]
    table = {"columns": columns, "rows": rows, "nowrap": nowrap, "widths": widths}
    return {
        "table": table if rows else None,
        "untestable": untestable_groups(untestable),
        "image": charts.data_uri(png) if png else None,
    }


def untestable_groups(rows: pd.DataFrame) -> list[dict[str, str]]:
    """One line per (factor, reason) with the outcomes it applies to and their n.

    Why grouped: the same reason ("too few complete cases") usually holds for all three
    outcomes of a factor; one line per factor is easier to read and to print.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for _, r in rows.iterrows():
        key = (r["factor_label"], r["warnings_text"] or fmt.MISSING)
        detail = f"{r['outcome_label']} (n={fmt.integer(r['n'])}, {fmt.integer(r['n_missing'])})"
        groups.setdefault(key, []).append(detail)
    return [{"factor": f, "reason": reason, "outcomes": "; ".join(details)} for (f, reason), details in groups.items()]


def survival_section(survival: Any, reason: Any, names: Names) -> dict[str, Any]:
    tr = names.tr
    if survival is None:
        return {"missing": show(reason, tr) if reason is not None else fmt.MISSING}
    curves = getattr(survival, "curves", None)
    group = getattr(survival, "group_factor", None)
    title = names.factor(group) if group else None
    if curves is not None and not curves.empty and "group" in curves:
        curves = curves.assign(group=[tr.gettext(N_("all selections")) if g == "all" else g for g in curves["group"]])
    png = charts.km_plot(curves, tr, title) if curves is not None else None
    return {
        "missing": None,
        "image": charts.data_uri(png) if png else None,
        "logrank_p": fmt.pvalue(getattr(survival, "logrank_p", None)),
        "n": fmt.integer(getattr(survival, "n", None)),
        "group": title,
        "cox": _table(getattr(survival, "cox_summary", None), names),
        "warnings": shown(getattr(survival, "warnings", None), tr),
    }


def _solutions(solutions: Any, names: Names) -> list[dict[str, Any]]:
    out = []
    for kind, terms in (solutions or {}).items():
        items = [str(x) for x in terms] if isinstance(terms, list | tuple) else [str(terms)]
        out.append({"label": names.solution(str(kind)), "terms": items or [names.tr.gettext("(none)")]})
    return out


def _fit_table(fit: Any, names: Names) -> dict[str, Any] | None:
    if isinstance(fit, dict):
        return _table(pd.DataFrame([{"key": k, "value": v} for k, v in fit.items()]), names)
    return _table(fit, names)


def qca_section(qca: Any, reason: Any, names: Names) -> dict[str, Any]:
    tr = names.tr
    if qca is None:
        return {"missing": show(reason, tr) if reason is not None else fmt.MISSING}
    conditions = list(getattr(qca, "conditions", None) or [])
    return {
        "missing": None,
        "conditions": tr.join([names.factor(c) for c in conditions]) if conditions else None,
        "outcome": names.outcome(getattr(qca, "outcome", None)),
        "n": fmt.integer(getattr(qca, "n", None)),
        "truth_table": _table(getattr(qca, "truth_table", None), names, tuple(conditions)),
        "solutions": _solutions(getattr(qca, "solutions", None), names),
        "fit": _fit_table(getattr(qca, "solution_fit", None), names),
        "necessity": _table(getattr(qca, "necessity", None), names),
        "warnings": shown(getattr(qca, "warnings", None), tr),
    }


# the engine's names in a verdict's numbers, as the reader says them
CLUSTERING_LABELS = {
    "hub_bootstrap": N_("bootstrap over hubs"),
    "hub_robust": N_("robust variance by hub"),
}
STRATUM_LABELS = {"program_family": N_("program family"), "start_era": N_("start era")}


def _number(key: str, value: object, names: Names) -> str:
    tr = names.tr
    if key in P_COLUMNS:
        return fmt.pvalue(value)
    if key == "factor":
        return names.factor(value)
    if key == "outcome":
        return names.outcome(value)
    if key in ("method", "analysis") and isinstance(value, str):
        return names._message(f"factors.{key}.{value}", value)
    if key == "clustering" and isinstance(value, str):
        return label(CLUSTERING_LABELS, value, tr)
    if key == "adjusted_for" and isinstance(value, list | tuple):
        return tr.join([label(STRATUM_LABELS, v, tr) for v in value]) if value else fmt.MISSING
    return show(value, tr)


def verdicts_section(verdicts: list[Any], robustness: dict[str, Any] | None, names: Names) -> list[dict[str, Any]]:
    """Each hypothesis with status, reason, numbers and, when the engine ran them, the
    robustness checks (leave one program family out; bootstrap)."""
    tr = names.tr
    out = []
    robustness = robustness or {}
    for v in verdicts or []:
        robust = robustness.get(str(getattr(v, "id", "")))
        status = str(getattr(v, "status", "inconclusive"))
        out.append(
            {
                "id": str(getattr(v, "id", "")),
                "statement": show(getattr(v, "statement", None), tr),
                "status": status,
                "status_label": names.status(status),
                "reason": show(getattr(v, "reason", None), tr),
                "numbers": [
                    (column_label(str(k), tr), _number(str(k), val, names))
                    for k, val in (getattr(v, "numbers", None) or {}).items()
                ],
                "lofo": _table(getattr(robust, "summary", None), names) if robust else None,
                "bootstrap": _table(getattr(robust, "bootstrap", None), names) if robust else None,
                "robust_warnings": shown(getattr(robust, "warnings", None), tr),
            }
        )
    return out


def verdict_frame(verdicts: list[Any], names: Names) -> pd.DataFrame:
    """The verdicts for the workbook, worded in the report's language."""
    tr = names.tr
    rows = [
        {
            "id": getattr(v, "id", None),
            "status": getattr(v, "status", None),
            "status_label": names.status(str(getattr(v, "status", ""))),
            "statement": show(getattr(v, "statement", None), tr),
            "reason": show(getattr(v, "reason", None), tr),
            "numbers": getattr(v, "numbers", None),
        }
        for v in verdicts or []
    ]
    return pd.DataFrame(rows, columns=["id", "status", "status_label", "statement", "reason", "numbers"])


def robustness_frame(robustness: dict[str, Any] | None) -> pd.DataFrame:
    """Leave-one-family-out rows of every hypothesis, with its bootstrap summary repeated."""
    frames = []
    for hid, r in (robustness or {}).items():
        part = getattr(r, "summary", None)
        if isinstance(part, pd.DataFrame):
            part = part.copy()
            part.insert(0, "hypothesis", hid)
            boot = getattr(r, "bootstrap", None)
            if isinstance(boot, pd.DataFrame) and len(boot) == 1:
                for col in boot.columns:
                    part[col] = boot.iloc[0][col]
            frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def exclusions_section(analysis: Any, tr: Translator) -> list[dict[str, Any]]:
    """Why outcomes were left out, one line per reason with its count (the engine's words)."""
    exclusions = dict(getattr(analysis, "exclusions", None) or {})
    out = []
    for key, count in sorted(exclusions.items()):
        try:
            from chiiki.factors import exclusion_message

            text = tr.render(exclusion_message(str(key), int(count)))
        except (ImportError, AttributeError, KeyError):
            text = f"{key}: {count}"
        out.append({"key": str(key), "count": int(count), "text": text})
    return out


def software_versions() -> dict[str, str]:
    # the installed distribution's version (importing ``chiiki`` itself would load the Workbench)
    try:
        own = metadata.version("chiiki")
    except metadata.PackageNotFoundError:
        own = "unknown"
    versions = {"chiiki": own, "python": platform.python_version()}
    for name in VERSION_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


REPORT_ZONE = "Asia/Tokyo"
ZONE_NAME = "JST"


def report_time(generated: dt.datetime) -> dt.datetime:
    """``generated`` on the clock of the study group (Japan Standard Time, no daylight saving).

    A naive ``generated`` is taken as UTC (what the engine stores)."""
    from zoneinfo import ZoneInfo

    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=dt.UTC)
    return generated.astimezone(ZoneInfo(REPORT_ZONE))


def repro_section(analysis: Any, tr: Translator, generated: dt.datetime) -> dict[str, Any]:
    """Data hash, parameters, versions and when the report was made (JST, with the zone shown)."""
    params = dict(getattr(analysis, "parameters", None) or {})
    local = report_time(generated)
    return {
        "data_hash": getattr(analysis, "data_hash", None) or fmt.MISSING,
        "parameters": [(str(k), show(v, tr)) for k, v in params.items()],
        "versions": list(software_versions().items()),
        "date": f"{tr.date(local)} {local:%H:%M} {ZONE_NAME} (UTC+09:00)",
        # ISO 8601 with the offset (HTML/PDF metadata) and the same with the zone's name (workbook)
        "iso": local.isoformat(timespec="seconds"),
        "timestamp": f"{local:%Y-%m-%d %H:%M} {ZONE_NAME} (UTC+09:00)",
        "zone": REPORT_ZONE,
    }
