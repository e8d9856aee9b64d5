"""The report's analysis design: key-factor table (primary rows, crude beside), summary lead,
methods, sensitivity and competing outcomes — from a result whose numbers the test chose.

The rows go through the engine's own ``finalize`` (grades, Holm/BH families, labels), so the
grades are the engine's; every other number is written here and must come out of the report
unchanged. Rendered in English: the msgids are the English text, so these checks do not depend
on the compiled Japanese catalogue (the Japanese wording is checked on the bundled report).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from chiiki.factors.table import finalize
from chiiki.i18n import msg, translator
from chiiki.report import ReportInputs, build_report
from chiiki.report import sections_design as sd
from chiiki.report.inputs import empty_frames
from chiiki.report.pdf import visible_text
from chiiki.report.sections_analysis import Names, factors_section

NAN = float("nan")


def _row(factor: str, outcome: str, analysis: str, method: str, est: float, lo: float, hi: float, p: float, **kw: Any):
    row = {
        "factor": factor,
        "outcome": outcome,
        "analysis": analysis,
        "method": method,
        "estimate": est,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": p,
        "n": kw.pop("n", 60),
        "n_missing": 3,
        "n_events": kw.pop("n_events", 12),
        "n_time_order": kw.pop("n_time_order", 0),
        "adjusted_for": ["program_family", "start_era"] if analysis == "adjusted" else [],
        "clustering": ("hub_robust" if method == "cox_stratified" else "hub_bootstrap")
        if analysis == "adjusted"
        else None,
        "cluster_ci_low": kw.pop("clo", NAN),
        "cluster_ci_high": kw.pop("chi", NAN),
        "hypothesis": kw.pop("hypothesis", None),
        "warnings": kw.pop("warnings", []),
    }
    assert not kw
    return row


def _key_factors(survives: bool) -> pd.DataFrame:
    """H1 crude OR 4 (p 0.004); adjusted 3.5 [1.6, 9] hub [1.4, 10] p 0.001 when it survives,
    else 1.2 [0.5, 2.9] p 0.6; H2 untestable; a Cox row; a descriptive Firth row."""
    adj = (3.5, 1.6, 9.0, 0.001, 1.4, 10.0) if survives else (1.2, 0.5, 2.9, 0.6, 0.4, 3.5)
    rows = [
        _row("final_grade_S", "successor", "crude", "fisher", 4.0, 1.5, 11.0, 0.004, hypothesis="H1", n_time_order=5),
        _row(
            "final_grade_S",
            "successor",
            "adjusted",
            "mh_exact",
            *adj[:4],
            clo=adj[4],
            chi=adj[5],
            hypothesis="H1",
            n_time_order=5,
        ),
        _row(
            "broad_partnership",
            "regional",
            "crude",
            "fisher",
            NAN,
            NAN,
            NAN,
            NAN,
            hypothesis="H2",
            warnings=[msg("factors.factor_constant")],
        ),
        _row(
            "broad_partnership",
            "regional",
            "adjusted",
            "mh_exact",
            NAN,
            NAN,
            NAN,
            NAN,
            hypothesis="H2",
            warnings=[msg("factors.factor_constant")],
        ),
        _row("has_company", "time_to_successor", "crude", "cox", 2.0, 1.0, 4.0, 0.04),
        _row(
            "has_company",
            "time_to_successor",
            "adjusted",
            "cox_stratified",
            1.5,
            0.8,
            3.0,
            0.2,
            clo=0.8,
            chi=3.0,
            warnings=[msg("factors.ph_violated", p="0.01")],
        ),
        _row("n_universities", "successor", "crude", "firth", 1.3, 1.0, 1.7, 0.03),
        _row(
            "n_universities",
            "successor",
            "adjusted",
            "firth_adjusted",
            1.2,
            0.9,
            1.6,
            NAN,
            n_events=3,
            warnings=[msg("factors.too_few_events", n=3, min_events=5)],
        ),
    ]
    return finalize(rows)


def _sensitivity() -> pd.DataFrame:
    values = [
        ("crude", 4.0, 1.5, 11.0, 0.004, 60),
        ("adjusted", 3.5, 1.6, 9.0, 0.001, 60),
        ("clustered", 3.5, 1.4, 10.0, NAN, 60),
        ("one_per_hub", 3.0, 1.1, 8.0, 0.03, 41),
        ("stated_links_only", 2.5, 0.9, 7.0, 0.08, 60),
    ]
    rows = [["final_grade_S", "successor", v, e, lo, hi, p, n, []] for v, e, lo, hi, p, n in values]
    rows.append(
        [
            "has_company",
            "time_to_successor",
            "unknown_as_absent",
            1.1,
            0.7,
            2.0,
            0.5,
            80,
            [msg("factors.participants_unrecorded", "info", complete=1, partial=50, none=10, n_missing=5)],
        ]
    )
    cols = ["factor", "outcome", "variant", "estimate", "ci_low", "ci_high", "p_value", "n", "warnings"]
    return pd.DataFrame(rows, columns=cols)


def _competing() -> dict[str, Any]:
    at = pd.DataFrame(
        [
            [None, "all", 1, 0.2, "successor"],
            [None, "all", 2, 0.1, "next_stage"],
            [None, "all", 3, 0.3, "regional"],
            [None, "all", 4, 0.4, "ended"],
            ["final_grade_S", "0", 1, 0.125, "successor"],
            ["final_grade_S", "1", 1, 0.5, "successor"],
        ],
        columns=["factor", "group", "cause", "cif", "cause_name"],
    )
    cs = pd.DataFrame(
        [
            {
                "factor": "final_grade_S",
                "cause": "successor",
                "hazard_ratio": 3.0,
                "ci_low": 1.2,
                "ci_high": 7.0,
                "p_value": 0.01,
                "n": 50,
                "n_events": 10,
                "warnings": [],
            }
        ]
    )
    return {
        "counts": {"successor": 10, "next_stage": 6, "regional": 15, "ended": 20, "censored": 9},
        "cif": at.assign(time=1.0, variance=0.01),
        "cause_specific": cs,
        "n": 60,
        "warnings": [msg("factors.cif_not_split", "info", factor="broad_partnership").to_dict()],
        "cif_at_window": at,
    }


def _analysis(survives: bool = True, **changes: Any) -> SimpleNamespace:
    params = {
        "successor_window_years": 4,
        "cutoff_fy": 2010,
        "alpha": 0.05,
        "bootstrap": 123,
        "seed": 7,
        "min_n": 11,
        "min_events": 6,
        "meaningful_or": 2.5,
        "adjust": True,
        "survival": True,
        "competing": True,
    }
    base = {
        "key_factors": _key_factors(survives),
        "coverage": None,
        "outcomes": None,
        "exclusions": {"successor:window_open": 12, "regional:window_open": 12},
        "survival": None,
        "qca": None,
        "verdicts": [],
        "parameters": params,
        "warnings": [],
        "data_hash": "0" * 64,
        "qca_reason": None,
        "survival_reason": msg("factors.survival_off", "info"),
        "robustness": {},
        "factors": [],
        "sensitivity": _sensitivity(),
        "competing": _competing(),
        "participants": {"complete": 2, "partial": 58, "none": 61},
    }
    base.update(changes)
    return SimpleNamespace(**base)


@pytest.fixture
def names() -> Names:
    return Names(translator("en"), _key_factors(True))


def test_key_factor_table_shows_primary_rows_with_the_crude_estimate_beside(names) -> None:
    section = factors_section(_key_factors(True), names)
    table = section["table"]
    assert table["columns"][3] == "Adjusted for family and era (95% CI)"
    assert table["columns"][7] == "Crude estimate (95% CI), p"
    # one row per plottable primary row (H1, Cox, the descriptive Firth row), never a crude row
    assert [r[0] for r in table["rows"]] == [
        "Final evaluation graded S [H1]",
        "A company takes part",
        "Number of participating universities",
    ]
    h1 = table["rows"][0]
    assert h1[3] == "3.50 (1.60–9.00)" and h1[4] == "1.40–10.00"
    assert h1[5] == "0.001" and h1[7] == "4.00 (1.50–11.00), p=0.004" and h1[8] == "60 (12)"
    assert h1[2] == "Exact conditional test within strata (Mantel–Haenszel)"
    firth = table["rows"][2]
    assert firth[5] == "—" and "descriptive only" in firth[-1]  # no p-value below the event threshold
    # the untestable H2 row is listed once, from its primary row, with its reason
    assert [u["factor"] for u in section["untestable"]] == ["University and a broad range of partners (H2)"]
    assert section["image"].startswith("data:image/png;base64,")


def test_summary_leads_with_what_survives_adjustment(names) -> None:
    kept = sd.survivors(_key_factors(True), names)
    assert kept["none"] is None and len(kept["lines"]) == 1
    line = kept["lines"][0]
    assert line.startswith("Final evaluation graded S / Successor adoption: 3.50 [1.60–9.00]")
    assert "hub-clustered [1.40–10.00]" in line and "crude 4.00 (1.50–11.00), p=0.004" in line
    assert "strong evidence" in line
    # the crude Cox (p 0.04) and Firth (p 0.03) associations do not survive: named, strongest first
    assert [x.split(":")[0] for x in kept["lost"]] == [
        "Number of participating universities / Successor adoption",
        "A company takes part / Years to successor adoption",
    ]


def test_summary_says_plainly_when_nothing_survives(names) -> None:
    gone = sd.survivors(_key_factors(False), names)
    assert gone["lines"] == []
    assert gone["none"] == translator("en").render(msg("report.survives_none", "info"))
    assert gone["lost"][0] == (
        "Final evaluation graded S / Successor adoption: crude 4.00 (1.50–11.00), p=0.004; "
        "adjusted 1.20 [0.50–2.90] — no association detected"
    )


def test_methods_state_every_choice_with_this_runs_values(names) -> None:
    section = sd.methods_section(_analysis(), names)
    text = {p["heading"]: p["text"] for p in section["paragraphs"]}
    assert list(text) == [
        "Cut-off",
        "Outcome window",
        "Next stage and successor",
        "Successor links",
        "Participants: not recorded is not absent",
        "Adjustment for program family and start era",
        "Hub clustering",
        "Time order",
        "Minimum events for a p-value",
        "Multiple testing and grades",
        "Hypothesis verdicts",
        "Proportional hazards",
        "Competing outcomes",
    ]
    assert "cut-off FY 2010" in text["Cut-off"]
    assert "within 4 FY" in text["Outcome window"] and "(12 selections)" in text["Outcome window"]
    assert (
        "complete for 2 selections, partial for 58 and missing for 61"
        in text["Participants: not recorded is not absent"]
    )
    assert "Mantel-Haenszel" in text["Adjustment for program family and start era"]
    assert "123 resamples of whole hubs, seed 7" in text["Hub clustering"]
    assert "counted: Final evaluation graded S: 5." in text["Time order"]
    assert "at least 11 complete cases and at least 6 selections" in text["Minimum events for a p-value"]
    assert (
        "adjusted p below 0.01" in text["Multiple testing and grades"] and "Holm" in text["Multiple testing and grades"]
    )
    assert "below 2.5" in text["Hypothesis verdicts"]
    assert "(1 primary rows)" in text["Proportional hazards"]  # the Cox row with a Schoenfeld warning
    assert "Aalen-Johansen" in text["Competing outcomes"]


def test_methods_say_when_adjustment_was_off(names) -> None:
    analysis = _analysis()
    analysis.parameters = {**analysis.parameters, "adjust": False, "competing": False}
    text = {p["heading"]: p["text"] for p in sd.methods_section(analysis, names)["paragraphs"]}
    assert text["Adjustment for program family and start era"] == translator("en").render(
        msg("report.methods.crude_only", "info")
    )
    assert "Hub clustering" not in text and "Competing outcomes" not in text


def test_sensitivity_table_per_key_factor(names) -> None:
    section = sd.sensitivity_section(_analysis(), names)
    first, second = section["tables"]
    assert first["factor"] == "Final evaluation graded S"
    assert first["table"]["columns"] == ["Variant", "Successor adoption"]
    assert first["table"]["rows"] == [
        ["Crude", "4.00 (1.50–11.00); p=0.004; n=60"],
        ["Adjusted for family and era", "3.50 (1.60–9.00); p=0.001; n=60"],
        ["Hub-clustered interval", "3.50 (1.40–10.00); n=60"],  # an interval, no p-value of its own
        ["One selection per hub", "3.00 (1.10–8.00); p=0.030; n=41"],
        ["Stated links only", "2.50 (0.90–7.00); p=0.080; n=60"],
    ]
    assert second["table"]["rows"] == [["Unknown as absent", "1.10 (0.70–2.00); p=0.500; n=80"]]
    assert second["notes"] and second["notes"][0].startswith("Unknown as absent / Years to successor adoption: ")


def test_competing_outcomes_counts_and_incidence_at_the_window(names) -> None:
    section = sd.competing_section(_analysis(), names)
    assert section["counts"]["rows"] == [
        ["Successor adoption", "10 (17%)"],
        ["Next stage of the same program", "6 (10%)"],
        ["Regional continuation", "15 (25%)"],
        ["Ended (nothing within the window)", "20 (33%)"],
        ["Censored (window open at the cut-off)", "9 (15%)"],
    ]
    cif = section["cif"]
    assert cif["columns"][1:] == [
        "Successor adoption",
        "Next stage of the same program",
        "Regional continuation",
        "Ended (nothing within the window)",
    ]
    assert cif["rows"][0] == ["all selections", "20%", "10%", "30%", "40%"]
    assert cif["rows"][1][:2] == ["Final evaluation graded S: factor absent", "12%"]
    assert cif["rows"][2][:2] == ["Final evaluation graded S: factor present", "50%"]
    assert section["cause_specific"]["rows"][0][2:5] == ["3.00 (1.20–7.00)", "0.010", "50 (10)"]
    assert len(section["warnings"]) == 1


def test_report_has_the_design_chapters_and_sheets(tmp_path) -> None:
    programs, adoptions = empty_frames()
    result = build_report(ReportInputs(programs, adoptions, analysis=_analysis()), tmp_path, "en", ("html", "xlsx"))
    html = result.html.read_text(encoding="utf-8")
    for sid in ("methods", "sensitivity", "competing"):
        assert f'id="{sid}"' in html and f'href="#{sid}"' in html
    text = visible_text(html)
    assert text.index("What survives adjustment") < text.index("Programs")  # the summary leads with it
    assert text.index("Methods: how the key factors were estimated") < text.index("Key factors\n")
    import openpyxl

    sheets = openpyxl.load_workbook(result.xlsx, read_only=True).sheetnames
    assert {"Sensitivity", "Cumulative incidence", "Cause-specific Cox"} <= set(sheets)


def test_an_older_result_without_sensitivity_or_competing_still_renders(tmp_path) -> None:
    programs, adoptions = empty_frames()
    old = _analysis(sensitivity=None, competing=None, participants={})
    result = build_report(ReportInputs(programs, adoptions, analysis=old), tmp_path, "en", ("html",))
    text = visible_text(result.html.read_text(encoding="utf-8"))
    assert "No key factor to re-estimate" in text and "No competing-outcomes analysis in this run." in text
    assert "Participants: not recorded is not absent" not in text


def test_every_new_report_text_has_a_japanese_translation() -> None:
    """The fragment holds a Japanese msgstr for every report message (merged by make catalog)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    import chiiki
    from chiiki.report.messages import MESSAGES

    locale = Path(chiiki.__file__).parent / "locale" / "ja" / "LC_MESSAGES"
    known: dict[str, str] = {}
    for path in [*sorted((locale / "fragments").glob("*.po")), locale / "chiiki.po"]:
        with path.open("rb") as fh:
            for m in read_po(fh, locale="ja"):
                if m.id and isinstance(m.id, str) and m.string:
                    known.setdefault(m.id, str(m.string))
    missing = [code for code, t in MESSAGES.items() if isinstance(t, str) and t not in known]
    assert missing == []
    for code, template in MESSAGES.items():
        if code.startswith(("report.methods.", "report.survives", "report.not_surviving")):
            ja = known[template]
            assert set(re.findall(r"{(\w+)}", ja)) == set(re.findall(r"{(\w+)}", template)), code
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja), code
