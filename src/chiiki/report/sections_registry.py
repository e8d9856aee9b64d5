"""Template context for the sections drawn from the registry: coverage, timeline, map, appendix.

Each function returns plain dicts and lists (strings already formatted) so the templates hold
no logic, plus the DataFrames the workbook needs under ``"frames"``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chiiki.report import charts, fmt
from chiiki.report.i18n import t
from chiiki.report.registry_view import family_summary, prefecture_stats, timeline_counts

COVERAGE_ITEMS = (
    "n_start_fy",
    "n_end_fy",
    "n_interim_grade",
    "n_final_grade",
    "n_outcome_known",
    "n_successor",
    "n_regional",
)
# items whose absence is a gap in the data (successor/regional are outcomes, not gaps)
GAP_ITEMS = ("n_start_fy", "n_end_fy", "n_interim_grade", "n_final_grade", "n_outcome_known")


def split_urls(cell: object) -> list[str]:
    if fmt.is_missing(cell):
        return []
    return [u.strip() for u in str(cell).split("|") if u.strip()]


class SourceIndex:
    """Numbered, de-duplicated source URLs: rows cite ``[n]``, the list prints each URL once.

    Why: the bundled rows cite 289 URLs of which 108 differ; printing each once (as a printed
    report's reference list does) keeps the PDF short and fast to lay out. The URL is the
    href; the text is percent-decoded so it is readable on paper. No forced line breaks:
    ``word-break: break-all`` or ``<wbr>`` made WeasyPrint's layout 3-5x slower.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, cell: object) -> list[int]:
        out = []
        for url in split_urls(cell):
            if url not in self.numbers:
                self.numbers[url] = len(self.numbers) + 1
            out.append(self.numbers[url])
        return out

    def entries(self) -> list[dict[str, object]]:
        from urllib.parse import unquote

        return [{"n": n, "href": url, "text": unquote(url)} for url, n in self.numbers.items()]


def registry_coverage(programs: pd.DataFrame, adoptions: pd.DataFrame) -> pd.DataFrame:
    """Coverage counted from the registry alone (used when the analysis did not run)."""
    rows = []
    for pid in programs["program_id"]:
        part = adoptions[adoptions["program_id"] == pid]
        rows.append(
            {
                "program_id": pid,
                "n_adoptions": len(part),
                "n_start_fy": int(part["start_fy"].notna().sum()),
                "n_end_fy": int(part["end_fy"].notna().sum()),
                "n_interim_grade": int(part["interim_grade"].notna().sum()),
                "n_final_grade": int(part["final_grade"].notna().sum()),
            }
        )
    return pd.DataFrame(
        rows, columns=["program_id", "n_adoptions", "n_start_fy", "n_end_fy", "n_interim_grade", "n_final_grade"]
    )


def coverage_section(
    programs: pd.DataFrame, adoptions: pd.DataFrame, coverage: pd.DataFrame | None, lang: str, sources: SourceIndex
) -> dict[str, Any]:
    if coverage is None or coverage.empty:
        coverage = registry_coverage(programs, adoptions)
    names = dict(zip(programs["program_id"], programs["name"], strict=True))
    items = [c for c in COVERAGE_ITEMS if c in coverage.columns]
    columns = [t("program", lang), t("n_adoptions", lang)] + [t(c, lang) for c in items]
    rows = []
    for r in coverage.to_dict("records"):
        label = f"{names.get(r['program_id'], r['program_id'])} ({r['program_id']})"
        rows.append([label, fmt.integer(r["n_adoptions"])] + [fmt.share(r[c], r["n_adoptions"]) for c in items])
    total_n = int(coverage["n_adoptions"].sum())
    rows.append([t("total", lang), str(total_n)] + [fmt.share(coverage[c].sum(), total_n) for c in items])
    gaps = []
    for item in GAP_ITEMS:
        if item in coverage.columns:
            k = total_n - int(coverage[item].sum())
            if k > 0:
                gaps.append(t("cov_gap_text", lang, n=total_n, k=k, item=t(f"gap_{item}", lang)))
    sources = [
        {"label": f"{name} ({pid})", "cites": sources.cite(urls)}
        for pid, name, urls in zip(programs["program_id"], programs["name"], programs["source_urls"], strict=True)
    ]
    frame = coverage.merge(programs[["program_id", "name", "family"]], on="program_id", how="left")
    return {"table": {"columns": columns, "rows": rows}, "gaps": gaps, "sources": sources, "frame": frame}


def timeline_section(adoptions: pd.DataFrame, lang: str) -> dict[str, Any]:
    counts, n_unknown = timeline_counts(adoptions, lang)
    png = charts.timeline_chart(counts, lang)
    frame = counts.copy()
    if not frame.empty:
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.reset_index(names=t("family", lang))
    families = family_summary(adoptions, lang)
    table = {
        "columns": [
            t("family", lang),
            t("n_adoptions", lang),
            t("first_fy", lang),
            t("last_fy", lang),
            t("n_unknown_fy", lang),
        ],
        "rows": [
            [r.family, str(r.n), fmt.integer(r.first_fy), fmt.integer(r.last_fy), str(r.n_unknown_fy)]
            for r in families.itertuples()
        ],
    }
    return {
        "image": charts.data_uri(png) if png else None,
        "note": t("timeline_note", lang, k=n_unknown) if n_unknown else None,
        "table": table,
        "frame": frame,
    }


def map_section(
    adoptions: pd.DataFrame, outcomes: pd.DataFrame | None, lang: str, style: str = "auto"
) -> dict[str, Any]:
    from chiiki.report.map_chart import prefecture_map, resolve_style

    stats, n_none = prefecture_stats(adoptions, outcomes, lang)
    style = resolve_style(style)
    png = prefecture_map(stats, lang, style)
    listed = stats[stats["n_selections"] > 0].sort_values(["n_selections", "prefecture"], ascending=[False, True])
    rows = [
        [
            r.prefecture,
            fmt.integer(r.n_selections),
            fmt.integer(r.n_outcome_known),
            fmt.integer(r.n_successor),
            fmt.num(r.successor_rate, 2),
        ]
        for r in listed.itertuples()
    ]
    columns = [
        t("prefecture", lang),
        t("n_adoptions", lang),
        t("n_outcome_known", lang),
        t("n_successor", lang),
        t("successor_rate", lang),
    ]
    return {
        "image": charts.data_uri(png),
        "note": t("map_note", lang, k=n_none),
        "method": t(f"map_method_{style}", lang),
        "table": {"columns": columns, "rows": rows},
        "frame": stats,
        "style": style,
    }


def appendix_section(
    adoptions: pd.DataFrame, outcomes: pd.DataFrame | None, lang: str, sources: SourceIndex
) -> dict[str, Any]:
    """Every selection with FYs, grades, outcome and source URLs (the trace of each number).

    Blocks rather than a table: WeasyPrint lays out a 121-row table several times slower.
    """
    frame = adoptions.copy()
    if outcomes is not None and not outcomes.empty:
        keep = [c for c in ("adoption_id", "successor", "regional", "excluded_reason") if c in outcomes.columns]
        frame = frame.merge(outcomes[keep], on="adoption_id", how="left")
    for col in ("successor", "regional", "excluded_reason"):
        if col not in frame.columns:
            frame[col] = None

    def yes_no(value: object) -> str:
        if fmt.is_missing(value):
            return t("unknown", lang)
        return t("yes", lang) if float(value) else t("no", lang)  # type: ignore[arg-type]

    items = []
    for r in frame.to_dict("records"):
        fy = f"{fmt.integer(r['start_fy'])}–{fmt.integer(r['end_fy'])}"
        parts = [
            fmt.text(r["program_name"]),
            fmt.text(r["region_name"]),
            fy,
            f"{fmt.text(r['interim_grade'])} / {fmt.text(r['final_grade'])}",
            yes_no(r["successor"]),
        ]
        items.append({"id": r["adoption_id"], "line": " | ".join(parts), "cites": sources.cite(r["source_urls"])})
    legend = " | ".join(
        [
            t("program", lang),
            t("region", lang),
            f"{t('start_fy', lang)}–{t('end_fy', lang)}",
            f"{t('interim_grade', lang)} / {t('final_grade', lang)}",
            t("successor", lang),
        ]
    )
    return {"entries": items, "legend": legend, "frame": frame, "sources": sources.entries()}
