"""Hand-built analysis results with the attributes of ``chiiki.factors.FactorAnalysis``.

Test fixtures only: the product always runs the real engine unless given a result. Values are
illustrative (seeded), chosen so every branch of the report has something to show.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd


def fake_analysis(adoption_ids: list[str]) -> SimpleNamespace:
    """A small result with every attribute the report reads; values are illustrative."""
    rng = np.random.default_rng(7)
    n = len(adoption_ids)
    successor = rng.choice([0.0, 1.0, np.nan], size=n, p=[0.4, 0.3, 0.3])
    outcomes = pd.DataFrame(
        {
            "adoption_id": adoption_ids,
            "successor": successor,
            "regional": rng.choice([0.0, 1.0, np.nan], size=n),
            "time_to_successor": rng.integers(0, 6, size=n).astype(float),
            "event": (successor == 1.0).astype(float),
            "excluded_reason": ["" if s == s else "successor:window_open" for s in successor],
        }
    )
    key_factors = pd.DataFrame(
        [
            {
                "factor": "final_grade_S",
                "factor_label": "事後評価S",
                "outcome": "successor",
                "method": "firth",
                "estimate": 4.2,
                "ci_low": 1.1,
                "ci_high": 16.0,
                "p_value": 0.03,
                "p_adjusted": 0.09,
                "n": 40,
                "n_missing": 81,
                "warnings": ["small sample"],
                "evidence": "weak",
            },
            {
                "factor": "local_gov",
                "factor_label": "自治体の参画",
                "outcome": "successor",
                "method": "fisher",
                "estimate": 0.8,
                "ci_low": 0.3,
                "ci_high": 2.1,
                "p_value": 0.6,
                "p_adjusted": 0.9,
                "n": 60,
                "n_missing": 61,
                "warnings": [],
                "evidence": "none",
            },
            {
                "factor": "n_companies",
                "factor_label": "参画企業数",
                "outcome": "successor",
                "method": "firth",
                "estimate": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "p_value": np.nan,
                "p_adjusted": np.nan,
                "n": 0,
                "n_missing": 121,
                "warnings": ["no data: n_companies empty everywhere"],
                "evidence": "not_testable",
            },
        ]
    )
    curves = pd.DataFrame(
        {
            "group": ["S"] * 3 + ["other"] * 3,
            "time": [0.0, 2.0, 4.0] * 2,
            "survival": [1.0, 0.6, 0.3, 1.0, 0.9, 0.8],
            "ci_low": [1.0, 0.3, 0.1, 1.0, 0.7, 0.6],
            "ci_high": [1.0, 0.85, 0.6, 1.0, 0.97, 0.92],
            "at_risk": [5, 3, 1, 30, 25, 20],
        }
    )
    survival = SimpleNamespace(
        curves=curves,
        logrank_p=0.04,
        n=35,
        group_factor="final_grade_S",
        cox_summary=pd.DataFrame(
            [
                {
                    "factor": "final_grade_S",
                    "hazard_ratio": 3.1,
                    "ci_low": 1.0,
                    "ci_high": 9.6,
                    "p_value": 0.05,
                    "n": 35,
                    "n_events": 8,
                }
            ]
        ),
        warnings=["few events"],
    )
    qca = SimpleNamespace(
        truth_table=pd.DataFrame(
            {
                "S": [1, 0],
                "LG": [1, 1],
                "outcome": [1, 0],
                "n": [3, 9],
                "consistency": [1.0, 0.22],
                "pri": [1.0, 0.2],
                "cases": [["a", "b", "c"], ["d"]],
            }
        ),
        solutions={"parsimonious": ["S"], "complex": ["S*LG"]},
        solution_fit=pd.DataFrame([{"solution": "S", "consistency": 1.0, "coverage": 0.5}]),
        necessity=pd.DataFrame([{"condition": "LG", "consistency": 0.9, "coverage": 0.3}]),
        warnings=["12 cases only"],
    )
    verdicts = [
        SimpleNamespace(
            id="H1",
            statement_ja="事後評価Sの拠点は後継事業を獲得する",
            statement_en="Hubs graded S win a successor",
            status="inconclusive",
            reason_ja="評価が判明している採択が少ない",
            reason_en="few known grades",
            numbers={"n": 5, "OR": 4.2},
        ),
        SimpleNamespace(
            id="H2",
            statement_ja="多様な主体の参画が継続につながる",
            statement_en="Diverse participation sustains hubs",
            status="not_testable",
            reason_ja="参画データ不足",
            reason_en="participation data missing",
            numbers={},
        ),
    ]
    coverage = pd.DataFrame(
        [
            {
                "program_id": "ECO",
                "program_family": "ECO",
                "n_adoptions": 13,
                "n_start_fy": 13,
                "n_end_fy": 10,
                "n_interim_grade": 5,
                "n_final_grade": 5,
                "n_outcome_known": 4,
                "n_successor": 1,
                "n_regional": 0,
            }
        ]
    )
    robustness = {
        "H1": SimpleNamespace(
            summary=pd.DataFrame(
                {
                    "left_out": ["(none)", "KC"],
                    "estimate": [4.2, 3.9],
                    "ci_low": [1.1, 0.9],
                    "ci_high": [16.0, 17.0],
                    "p_value": [0.03, 0.07],
                    "n": [40, 31],
                }
            ),
            bootstrap=pd.DataFrame(
                [
                    {
                        "boot_median": 4.0,
                        "boot_ci_low": 1.2,
                        "boot_ci_high": 15.0,
                        "share_above_1": 0.97,
                        "n_ok": 200,
                        "n_boot": 200,
                        "seed": 0,
                    }
                ]
            ),
            warnings=["bootstrap: 3 resamples without variation"],
        )
    }
    return SimpleNamespace(
        robustness=robustness,
        key_factors=key_factors,
        coverage=coverage,
        outcomes=outcomes,
        exclusions={"successor:window_open": int(np.isnan(successor).sum())},
        survival=survival,
        qca=qca,
        verdicts=verdicts,
        parameters={"window": 5, "cutoff_fy": 2024, "alpha": 0.05},
        warnings=["illustrative fixture"],
        data_hash="0" * 64,
    )
