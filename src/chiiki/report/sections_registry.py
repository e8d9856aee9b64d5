"""Template context for the sections drawn from the registry: coverage, timeline, map, appendix.

Each function returns plain dicts and lists (strings already formatted, in the report's
language) so the templates hold no logic, plus the DataFrames the workbook needs under
``"frame"``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chiiki.i18n import N_, Translator
from chiiki.report import charts, fmt
from chiiki.report.registry_view import family_summary, prefecture_stats, timeline_counts

COVERAGE_ITEMS: dict[str, str] = {
    "n_start_fy": N_("Start FY"),
    "n_end_fy": N_("End FY"),
    "n_interim_grade": N_("Interim evaluation"),
    "n_final_grade": N_("Final evaluation"),
    "n_budget": N_("Budget"),
    "n_outcome_known": N_("Outcome known"),
    "n_successor": N_("Successor"),
    "n_regional": N_("Regional budget"),
}
# items whose absence is a gap in the data (successor/regional are outcomes, not gaps)
GAP_ITEMS: dict[str, str] = {
    "n_start_fy": N_("the start FY"),
    "n_end_fy": N_("the end FY"),
    "n_interim_grade": N_("the interim evaluation grade"),
    "n_final_grade": N_("the final evaluation grade"),
    "n_outcome_known": N_("the successor outcome"),
}
GAP_TEXT = N_("{item} is unknown for {k} of {n} selections.")


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


def _with_budget(coverage: pd.DataFrame, adoptions: pd.DataFrame) -> pd.DataFrame:
    known = adoptions.assign(_b=adoptions["budget_total_million_yen"].notna())
    counts = known.groupby("program_id")["_b"].sum().astype(int)
    coverage = coverage.copy()
    pos = list(coverage.columns).index("n_final_grade") + 1 if "n_final_grade" in coverage else len(coverage.columns)
    coverage.insert(pos, "n_budget", [int(counts.get(p, 0)) for p in coverage["program_id"]])
    return coverage


def coverage_section(
    programs: pd.DataFrame,
    adoptions: pd.DataFrame,
    coverage: pd.DataFrame | None,
    tr: Translator,
    sources: SourceIndex,
) -> dict[str, Any]:
    if coverage is None or coverage.empty:
        coverage = registry_coverage(programs, adoptions)
    coverage = _with_budget(coverage, adoptions)
    names = dict(zip(programs["program_id"], programs["name"], strict=True))
    items = [c for c in COVERAGE_ITEMS if c in coverage.columns]
    columns = [tr.gettext("Program"), tr.gettext("Selections")] + [tr.gettext(COVERAGE_ITEMS[c]) for c in items]
    rows = []
    for r in coverage.to_dict("records"):
        label = f"{names.get(r['program_id'], r['program_id'])} ({r['program_id']})"
        rows.append([label, fmt.integer(r["n_adoptions"])] + [fmt.share(r[c], r["n_adoptions"]) for c in items])
    total_n = int(coverage["n_adoptions"].sum())
    rows.append([tr.gettext("Total"), str(total_n)] + [fmt.share(coverage[c].sum(), total_n) for c in items])
    gaps = []
    for item, words in GAP_ITEMS.items():
        if item in coverage.columns:
            k = total_n - int(coverage[item].sum())
            if k > 0:
                gaps.append(tr.gettext(GAP_TEXT).format(n=total_n, k=k, item=tr.gettext(words)))
    cited = [
        {"label": f"{name} ({pid})", "cites": sources.cite(urls)}
        for pid, name, urls in zip(programs["program_id"], programs["name"], programs["source_urls"], strict=True)
    ]
    frame = coverage.merge(programs[["program_id", "name", "family"]], on="program_id", how="left")
    return {"table": {"columns": columns, "rows": rows}, "gaps": gaps, "sources": cited, "frame": frame}


def budget_summary(adoptions: pd.DataFrame, tr: Translator) -> dict[str, str] | None:
    """Total budget of the selections whose budget the registry holds (None when none does)."""
    known = adoptions["budget_total_million_yen"].dropna()
    if known.empty:
        return None
    return {
        "total": tr.yen_millions(float(known.sum())),
        "note": tr.ngettext(
            "{k} of {n} selection with a known budget", "{k} of {n} selections with a known budget", len(adoptions)
        ).format(k=len(known), n=len(adoptions)),
    }


def every_year(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts`` (families × start FY) with a column for every FY from the first to the last:
    a year without selections is a 0, not a missing column (a gap in a timeline reads as data
    that was not collected)."""
    if counts.empty:
        return counts.copy()
    years = range(int(min(counts.columns)), int(max(counts.columns)) + 1)
    return counts.reindex(columns=list(years), fill_value=0).astype(int)


def timeline_section(adoptions: pd.DataFrame, tr: Translator) -> dict[str, Any]:
    counts, n_unknown = timeline_counts(adoptions)
    png = charts.timeline_chart(counts, tr)
    frame = every_year(counts)
    if not frame.empty:
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.reset_index(names="family")
    families = family_summary(adoptions)
    table = {
        "columns": [
            tr.gettext("Program family"),
            tr.gettext("Selections"),
            tr.gettext("First start FY"),
            tr.gettext("Last start FY"),
            tr.gettext("Start FY unknown"),
        ],
        "rows": [
            [r.family, str(r.n), fmt.integer(r.first_fy), fmt.integer(r.last_fy), str(r.n_unknown_fy)]
            for r in families.itertuples()
        ],
    }
    note = None
    if n_unknown:
        note = tr.ngettext(
            "{k} selection with an unknown start FY is not in the chart.",
            "{k} selections with an unknown start FY are not in the chart.",
            n_unknown,
        ).format(k=n_unknown)
    return {"image": charts.data_uri(png) if png else None, "note": note, "table": table, "frame": frame}


MAP_METHODS = {
    "japanmap": N_("Map: prefecture borders from the japanmap package (Hokkaido and Okinawa moved)."),
    "tiles": N_("Map: a tile grid of the 47 prefectures (equal-size tiles; areas are not to scale)."),
}


def map_section(
    adoptions: pd.DataFrame, outcomes: pd.DataFrame | None, tr: Translator, style: str = "auto"
) -> dict[str, Any]:
    from chiiki.report.map_chart import prefecture_map, resolve_style

    stats, n_none = prefecture_stats(adoptions, outcomes, tr.lang)
    style = resolve_style(style)
    png = prefecture_map(stats, tr, style)
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
        tr.gettext("Prefecture"),
        tr.gettext("Selections"),
        tr.gettext("Outcome known"),
        tr.gettext("Successor"),
        tr.gettext("Successor rate"),
    ]
    note = tr.gettext(
        "A selection spanning several prefectures counts once in each. Selections with no "
        "prefecture: {k}. Rates from few selections with a known outcome are uncertain (see "
        "the counts in the table)."
    ).format(k=n_none)
    return {
        "image": charts.data_uri(png),
        "note": note,
        "method": tr.gettext(MAP_METHODS[style]),
        "table": {"columns": columns, "rows": rows},
        "frame": stats,
        "style": style,
    }


APPENDIX_COLUMNS = (
    ("id", N_("Selection ID"), 11),
    ("program", N_("Program"), 17),
    ("region", N_("Region"), 20),
    ("fy", N_("FY"), 9),
    ("grades", N_("Interim / final evaluation"), 10),
    ("budget", N_("Budget"), 11),
    ("successor", N_("Successor"), 8),
    ("sources", N_("Sources"), 14),
)


def appendix_section(
    adoptions: pd.DataFrame, outcomes: pd.DataFrame | None, tr: Translator, sources: SourceIndex
) -> dict[str, Any]:
    """Every selection with FYs, grades, budget, outcome and source URLs (the trace of each
    number), as a table with a header row repeated on every PDF page. Fixed column widths
    (``table-layout: fixed``) keep WeasyPrint from measuring every cell twice, which is what
    made a 121-row auto-layout table several times slower than the old run-on blocks.
    """
    frame = adoptions.drop(columns=["family_label", "family_order"], errors="ignore").copy()
    if outcomes is not None and not outcomes.empty:
        keep = [c for c in ("adoption_id", "successor", "regional", "excluded_reason") if c in outcomes.columns]
        frame = frame.merge(outcomes[keep], on="adoption_id", how="left")
    for col in ("successor", "regional", "excluded_reason"):
        if col not in frame.columns:
            frame[col] = None

    def yes_no(value: object) -> str:
        if fmt.is_missing(value):
            return tr.gettext("unknown")
        return tr.gettext("yes") if float(value) else tr.gettext("no")  # type: ignore[arg-type]

    rows = []
    for r in frame.to_dict("records"):
        budget = r["budget_total_million_yen"]
        rows.append(
            {
                "id": r["adoption_id"],
                "program": fmt.text(r["program_name"]),
                "region": fmt.text(r["region_name"]),
                "fy": f"{fmt.integer(r['start_fy'])}–{fmt.integer(r['end_fy'])}",
                "grades": f"{fmt.text(r['interim_grade'])} / {fmt.text(r['final_grade'])}",
                "budget": fmt.MISSING if fmt.is_missing(budget) else tr.yen_millions(float(budget)),
                "successor": yes_no(r["successor"]),
                "cites": sources.cite(r["source_urls"]),
            }
        )
    columns = [{"key": k, "title": tr.gettext(t), "width": w} for k, t, w in APPENDIX_COLUMNS]
    return {"columns": columns, "rows": rows, "frame": frame, "sources": sources.entries()}
