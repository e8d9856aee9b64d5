"""Names the report gives to the columns of the engine's tables (Cox, QCA, robustness, verdicts).

Every entry is an English msgid (``N_``) translated where it is shown, through the one message
catalogue (``chiiki.i18n``); the Japanese lives in ``locale/ja/LC_MESSAGES/fragments/report.po``.
A key the report does not know is shown as it is (an identifier, never a guessed translation).
Labels of factors, outcomes, methods, statuses and exclusions come with the analysis result
itself (``chiiki.factors`` messages), so the report and the CLI use the same words.
Characters are limited to those of the IPAex Gothic font (no ``≥``, no emoji) so the PDF never
shows tofu.
"""

from __future__ import annotations

from chiiki.i18n import N_, Translator

# Column names of engine tables shown as they are (Cox, QCA, robustness, verdict numbers).
COLUMNS: dict[str, str] = {
    "factor": N_("Factor"),
    "hazard_ratio": N_("Hazard ratio"),
    "ci_low": N_("CI low"),
    "ci_high": N_("CI high"),
    "estimate": N_("Estimate"),
    "p_value": N_("p"),
    "p_adjusted": N_("Adjusted p"),
    "n": N_("n"),
    "n_events": N_("Events"),
    "n_missing": N_("Missing"),
    "outcome": N_("Outcome"),
    "method": N_("Method"),
    "consistency": N_("Consistency"),
    "coverage": N_("Coverage"),
    "pri": N_("PRI"),
    "cases": N_("Cases"),
    "condition": N_("Condition"),
    "solution": N_("Solution"),
    "key": N_("Item"),
    "value": N_("Value"),
    "term": N_("Term"),
    "raw_coverage": N_("Raw coverage"),
    "unique_coverage": N_("Unique coverage"),
    "group": N_("Group"),
    "time": N_("Time"),
    "survival": N_("Survival"),
    "at_risk": N_("At risk"),
    "left_out": N_("Family left out"),
    "boot_median": N_("Bootstrap median"),
    "boot_ci_low": N_("Bootstrap CI low"),
    "boot_ci_high": N_("Bootstrap CI high"),
    "share_above_1": N_("Share above 1"),
    "n_ok": N_("Resamples estimated"),
    "n_boot": N_("Resamples"),
    "seed": N_("Seed"),
    # numbers behind a verdict
    "n_factor_known": N_("Factor known"),
    "n_outcome_known": N_("Outcome known"),
    "exposed": N_("With the factor"),
    "exposed_with_outcome": N_("With the factor and the outcome"),
    "unexposed": N_("Without the factor"),
    "unexposed_with_outcome": N_("Without the factor, with the outcome"),
    "min_n": N_("Minimum n"),
    "alpha": N_("Significance level"),
    "analysis": N_("Analysis"),
    "adjusted_for": N_("Adjusted for"),
    "clustering": N_("Clustering"),
    "cluster_ci_low": N_("Hub-clustered CI low"),
    "cluster_ci_high": N_("Hub-clustered CI high"),
    "n_time_order": N_("Left out by time order"),
    "variant": N_("Variant"),
    "cif": N_("Cumulative incidence"),
    "cause": N_("First outcome"),
    # registry, outcome and appendix tables (report.xlsx headers)
    "program_id": N_("Program ID"),
    "program_family": N_("Program family"),
    "program_name": N_("Program"),
    "family": N_("Program family"),
    "name": N_("Name"),
    "n_adoptions": N_("Selections"),
    "n_selections": N_("Selections"),
    "n_start_fy": N_("Start FY known"),
    "n_end_fy": N_("End FY known"),
    "n_interim_grade": N_("Interim grade known"),
    "n_final_grade": N_("Final grade known"),
    "n_budget": N_("Budget known"),
    "n_successor": N_("With a successor"),
    "n_regional": N_("With a regional budget"),
    "adoption_id": N_("Selection ID"),
    "region_name": N_("Region"),
    "prefectures": N_("Prefecture names"),
    "prefecture": N_("Prefecture"),
    "prefecture_ja": N_("Prefecture (Japanese)"),
    "prefecture_en": N_("Prefecture (English)"),
    "title": N_("Title"),
    "start_fy": N_("Start FY"),
    "end_fy": N_("End FY"),
    "budget_total_million_yen": N_("Budget (million yen)"),
    "interim_grade": N_("Interim evaluation"),
    "final_grade": N_("Final evaluation"),
    "source_urls": N_("Sources"),
    "successor": N_("Successor"),
    "successor_rate": N_("Successor rate"),
    "next_stage": N_("Next-stage program"),
    "regional": N_("Regional budget"),
    "successor_stated": N_("Successor stated by the source"),
    "successor_overlap": N_("Successor overlaps in time"),
    "successor_fy": N_("Successor FY"),
    "outcome_fy": N_("Outcome FY"),
    "time_to_successor": N_("Years to a successor"),
    "event": N_("Event"),
    "first_cause": N_("First outcome"),
    "first_time": N_("Years to the first outcome"),
    "excluded_reason": N_("Reason left out"),
    "factor_label": N_("Factor (label)"),
    "outcome_label": N_("Outcome (label)"),
    "method_label": N_("Method (label)"),
    "hypothesis": N_("Hypothesis"),
    "p_family": N_("Hypothesis family of the p adjustment"),
    "warnings": N_("Warnings"),
    "evidence": N_("Evidence"),
    "evidence_label": N_("Evidence (label)"),
    "direction": N_("Direction"),
    "reason": N_("Reason"),
    "count": N_("Count"),
    "text": N_("Text"),
    "no": N_("No."),
    "id": N_("ID"),
    "status": N_("Status"),
    "status_label": N_("Status (label)"),
    "statement": N_("Statement"),
    "numbers": N_("Numbers"),
    "variance": N_("Variance"),
    "cause_name": N_("Outcome name"),
    "parameter": N_("Parameter"),
    "note": N_("Note"),
    # hearings (Table 1 and the code tables)
    "region": N_("Region"),
    "organizations": N_("Organizations"),
    "date": N_("Month"),
    "hubs": N_("Related hubs"),
    "documents": N_("Documents"),
    "is_sample": N_("Sample"),
    "sample": N_("Sample mark"),
    "code": N_("Code"),
    "coder": N_("Coder"),
}

# what the left-out family column says for the estimate on all data
ALL_FAMILIES = N_("(none: all data)")


def label(table: dict[str, str], key: object, tr: Translator) -> str:
    """``table[key]`` in the reader's language; the key itself when the table lacks it."""
    text = table.get(str(key)) if key is not None else None
    return tr.gettext(text) if text else str(key)


def column_label(name: str, tr: Translator) -> str:
    return label(COLUMNS, name, tr)
