"""Template context for the sections drawn from the factor analysis result.

The report never recomputes a statistic: it formats ``FactorAnalysis`` attributes (key
factors, survival, QCA, verdicts) and shows each result's n, missing data and warnings.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import pandas as pd

from chiiki.report import charts, fmt
from chiiki.report.i18n import column_label, outcome_label, t

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
)


P_COLUMNS = ("p_value", "p_adjusted", "p")


def _table(
    frame: pd.DataFrame | None, lang: str = "ja", factor_labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """A generic table: known column names translated, p-values as p-values, factor names
    as their labels; other cells through ``fmt.text``."""
    if frame is None or not isinstance(frame, pd.DataFrame):
        return None
    labels = factor_labels or {}
    columns = [str(c) for c in frame.columns]
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for col, value in zip(columns, row, strict=True):
            if col in P_COLUMNS:
                cells.append(fmt.pvalue(value))
            elif col in ("factor", "condition") and isinstance(value, str):
                cells.append(labels.get(value, value))
            else:
                cells.append(fmt.text(value))
        rows.append(cells)
    return {"columns": [labels.get(c) or column_label(c, lang) for c in columns], "rows": rows}


def _evidence(row: pd.Series, lang: str) -> str:
    try:
        from chiiki.factors import evidence_label

        return str(evidence_label(row, lang))
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        return fmt.text(row.get("evidence"))


def factor_labels(key_factors: pd.DataFrame | None) -> dict[str, str]:
    """Factor name → label as the engine wrote it (in the report language)."""
    if key_factors is None or key_factors.empty:
        return {}
    return dict(zip(key_factors["factor"], key_factors["factor_label"], strict=True))


def factors_section(key_factors: pd.DataFrame | None, lang: str) -> dict[str, Any]:
    if key_factors is None or key_factors.empty:
        return {"table": None, "untestable": None, "image": None}
    key_factors = key_factors.assign(outcome=[outcome_label(o, lang) for o in key_factors["outcome"]])
    plottable, untestable = charts.forest_rows(key_factors)
    png = charts.forest_plot(plottable, lang)
    rows = [
        [
            fmt.text(r["factor_label"]),
            fmt.text(r["outcome"]),
            fmt.text(r["method"]),
            fmt.num(r["estimate"]),
            fmt.ci(r["ci_low"], r["ci_high"]),
            fmt.pvalue(r["p_value"]),
            fmt.pvalue(r["p_adjusted"]),
            fmt.integer(r["n"]),
            fmt.integer(r["n_missing"]),
            fmt.text(r["warnings"]),
            _evidence(r, lang),
        ]
        for _, r in plottable.iterrows()
    ]
    columns = [
        t(k, lang)
        for k in (
            "factor",
            "outcome",
            "method",
            "estimate",
            "ci",
            "p_value",
            "p_adjusted",
            "n",
            "n_missing",
            "warnings",
            "evidence",
        )
    ]
    nowrap = [3, 4, 5, 6, 7, 8]
    widths = [14, 10, 6, 6, 10, 6, 7, 4, 5, 18, 14]
    table = {"columns": columns, "rows": rows, "nowrap": nowrap, "widths": widths}
    return {
        "table": table if rows else None,
        "untestable": untestable_groups(untestable),
        "image": charts.data_uri(png) if png else None,
    }


def _eq(value: str) -> str:
    """'=0.012' or '<0.001' (never '=<0.001')."""
    return value if value.startswith("<") else f"={value}"


def headline_factors(key_factors: pd.DataFrame | None, lang: str, alpha: float = 0.05, limit: int = 6) -> list[str]:
    """Summary lines for rows with p < alpha, strongest first, each with its CI and n."""
    if key_factors is None or key_factors.empty:
        return []
    rows = key_factors[pd.to_numeric(key_factors["p_value"], errors="coerce") < alpha]
    rows = rows.sort_values(["p_adjusted", "p_value"], na_position="last").head(limit)
    lines = []
    for _, r in rows.iterrows():
        lines.append(
            f"{r['factor_label']} / {outcome_label(r['outcome'], lang)}: "
            f"{fmt.num(r['estimate'])} [{fmt.ci(r['ci_low'], r['ci_high'])}], "
            f"p{_eq(fmt.pvalue(r['p_value']))}, "
            f"{t('p_adjusted', lang)}{_eq(fmt.pvalue(r['p_adjusted']))}, "
            f"n={fmt.integer(r['n'])} ({t('n_missing', lang)} {fmt.integer(r['n_missing'])}) "
            f"— {_evidence(r, lang)}"
        )
    return lines


def untestable_groups(rows: pd.DataFrame) -> list[dict[str, str]]:
    """One line per (factor, reason) with the outcomes it applies to and their n.

    Why grouped: the same reason ("too few complete cases") usually holds for all three
    outcomes of a factor; one line per factor is easier to read and to print.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for _, r in rows.iterrows():
        key = (fmt.text(r["factor_label"]), fmt.text(r["warnings"]))
        detail = f"{r['outcome']} (n={fmt.integer(r['n'])}, {fmt.integer(r['n_missing'])})"
        groups.setdefault(key, []).append(detail)
    return [{"factor": f, "reason": reason, "outcomes": "; ".join(details)} for (f, reason), details in groups.items()]


def survival_section(
    survival: Any, lang: str, reason: str | None = None, factor_labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    if survival is None:
        return {"missing": reason or "—"}
    curves = getattr(survival, "curves", None)
    group = getattr(survival, "group_factor", None)
    title = (factor_labels or {}).get(group, group) if group else None
    png = charts.km_plot(curves, lang, title) if curves is not None else None
    return {
        "missing": None,
        "image": charts.data_uri(png) if png else None,
        "logrank_p": fmt.pvalue(getattr(survival, "logrank_p", None)),
        "n": fmt.integer(getattr(survival, "n", None)),
        "group": getattr(survival, "group_factor", None),
        "cox": _table(getattr(survival, "cox_summary", None), lang, factor_labels),
        "warnings": list(getattr(survival, "warnings", None) or []),
    }


def _solutions(solutions: Any, lang: str) -> list[dict[str, Any]]:
    out = []
    for kind, terms in (solutions or {}).items():
        label = t(kind, lang) if kind in ("parsimonious", "complex") else str(kind)
        items = [str(x) for x in terms] if isinstance(terms, list | tuple) else [str(terms)]
        out.append({"label": label, "terms": items or [t("none_found", lang)]})
    return out


def _fit_table(fit: Any, lang: str) -> dict[str, Any] | None:
    if isinstance(fit, dict):
        return _table(pd.DataFrame([{"key": k, "value": v} for k, v in fit.items()]), lang)
    return _table(fit, lang)


def qca_section(
    qca: Any, lang: str, reason: str | None = None, factor_labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    if qca is None:
        return {"missing": reason or "—"}
    labels = factor_labels or {}
    conditions = [labels.get(c, c) for c in getattr(qca, "conditions", None) or []]
    return {
        "missing": None,
        "conditions": ", ".join(conditions) if conditions else None,
        "outcome": outcome_label(getattr(qca, "outcome", None), lang),
        "n": fmt.integer(getattr(qca, "n", None)),
        "truth_table": _table(getattr(qca, "truth_table", None), lang, factor_labels),
        "solutions": _solutions(getattr(qca, "solutions", None), lang),
        "fit": _fit_table(getattr(qca, "solution_fit", None), lang),
        "necessity": _table(getattr(qca, "necessity", None), lang, factor_labels),
        "warnings": list(getattr(qca, "warnings", None) or []),
    }


def verdicts_section(verdicts: list[Any], lang: str, robustness: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each hypothesis with status, reason, numbers and, when the engine ran them, the
    robustness checks (leave one program family out; bootstrap)."""
    out = []
    robustness = robustness or {}
    for v in verdicts or []:
        robust = robustness.get(getattr(v, "id", None))
        status = str(getattr(v, "status", "inconclusive"))
        key = f"status_{status}"
        out.append(
            {
                "id": str(getattr(v, "id", "")),
                "statement": getattr(v, f"statement_{lang}", None) or getattr(v, "statement_ja", ""),
                "status": status,
                "status_label": t(key, lang) if key in _STATUS_KEYS else status,
                "reason": getattr(v, f"reason_{lang}", None) or getattr(v, "reason_ja", ""),
                "numbers": [
                    (str(k), fmt.pvalue(val) if k in P_COLUMNS else fmt.text(val))
                    for k, val in (getattr(v, "numbers", None) or {}).items()
                ],
                "lofo": _table(getattr(robust, "summary", None), lang) if robust else None,
                "bootstrap": _table(getattr(robust, "bootstrap", None), lang) if robust else None,
                "robust_warnings": list(getattr(robust, "warnings", None) or []),
            }
        )
    return out


_STATUS_KEYS = {"status_supported", "status_not_supported", "status_inconclusive", "status_not_testable"}


def verdict_frame(verdicts: list[Any]) -> pd.DataFrame:
    rows = [
        {
            "id": getattr(v, "id", None),
            "status": getattr(v, "status", None),
            "statement_ja": getattr(v, "statement_ja", None),
            "statement_en": getattr(v, "statement_en", None),
            "reason_ja": getattr(v, "reason_ja", None),
            "reason_en": getattr(v, "reason_en", None),
            "numbers": getattr(v, "numbers", None),
        }
        for v in verdicts or []
    ]
    return pd.DataFrame(
        rows, columns=["id", "status", "statement_ja", "statement_en", "reason_ja", "reason_en", "numbers"]
    )


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


def software_versions() -> dict[str, str]:
    import chiiki

    versions = {"chiiki": chiiki.__version__, "python": platform.python_version()}
    for name in VERSION_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def repro_section(analysis: Any, lang: str) -> dict[str, Any]:
    params = dict(getattr(analysis, "parameters", None) or {})
    return {
        "data_hash": getattr(analysis, "data_hash", None) or fmt.MISSING,
        "parameters": [(str(k), fmt.text(v)) for k, v in params.items()],
        "versions": list(software_versions().items()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
