"""QCA: truth table, Boolean minimization and fit, pinned to R ``QCA`` on Lipset's data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.errors import QCAInputError
from chiiki.factors.methods.qca import calibrate, calibrate_crisp, qca, sufficiency, truth_table
from chiiki.factors.methods.qca_boolean import prime_implicants, solve_chart

DATA = Path(__file__).parent / "data"
COND = ["DEV", "URB", "LIT", "IND", "STB"]


@pytest.fixture(scope="module")
def lc() -> pd.DataFrame:
    """Lipset's binary crisp data (R QCA ``LC``), 18 countries. Rebuilt from the case lists
    of the documented truth table in QCA's ``minimize`` help (staticdocs/minimize.html):
    11111 BE,CZ,NL,UK; 10101 FI,IE; 10111 FR,SE (SURV=1); 00000 GR,PT,ES; 00001 IT,RO;
    00100 HU,PL; 00101 EE; 10110 AU; 11110 DE (SURV=0)."""
    return pd.read_csv(DATA / "lipset_lc.csv", index_col="case")


def test_truth_table_matches_r(lc: pd.DataFrame) -> None:
    """``truthTable(LC, "SURV")``: 9 observed rows; n = 4,2,2 for the positive rows."""
    tt = truth_table(lc, COND, "SURV")
    assert len(tt) == 9 and tt["n"].sum() == 18
    pos = tt[tt["outcome"] == 1]
    assert sorted(pos["n"].tolist()) == [2, 2, 4]
    assert set(pos["cases"]) == {"BE,CZ,NL,UK", "FI,IE", "FR,SE"}
    assert (pos["consistency"] == 1).all() and (tt[tt["outcome"] == 0]["consistency"] == 0).all()


def test_conservative_and_parsimonious_solutions_match_r(lc: pd.DataFrame) -> None:
    """R QCA docs (minimize): conservative ``DEV*~URB*LIT*STB + DEV*LIT*IND*STB`` (Rihoux &
    De Meur 2009, p.57) with inclS 1, covS 0.500/0.750, covU 0.250/0.500, model coverage 1;
    parsimonious (include = "?") ``DEV*STB`` with covS 1.000."""
    r = qca(lc, COND, "SURV")
    assert set(r.solutions["complex"]) == {"DEV*~URB*LIT*STB", "DEV*LIT*IND*STB"}
    assert r.solutions["parsimonious"] == ["DEV*STB"]
    fit = r.solution_fit[r.solution_fit["solution"] == "complex"].set_index("term")
    assert fit.loc["DEV*~URB*LIT*STB", "raw_coverage"] == pytest.approx(0.5)
    assert fit.loc["DEV*~URB*LIT*STB", "unique_coverage"] == pytest.approx(0.25)
    assert fit.loc["DEV*LIT*IND*STB", "raw_coverage"] == pytest.approx(0.75)
    assert fit.loc["DEV*LIT*IND*STB", "unique_coverage"] == pytest.approx(0.5)
    assert (fit["consistency"] == 1).all()
    whole = fit.loc[fit.index.str.contains(r"\+")]
    assert whole["raw_coverage"].iloc[0] == pytest.approx(1.0)
    assert len(r.alternatives["complex"]) == 1


def test_negated_outcome_matches_r(lc: pd.DataFrame) -> None:
    """R QCA docs: ``~SURV`` conservative ``~DEV*~URB*~IND + DEV*LIT*IND*~STB``;
    parsimonious ``~DEV + ~STB`` with covS 0.800/0.700 and covU 0.300/0.200."""
    d = lc.assign(nSURV=1 - lc["SURV"])
    r = qca(d, COND, "nSURV")
    assert set(r.solutions["complex"]) == {"~DEV*~URB*~IND", "DEV*LIT*IND*~STB"}
    assert set(r.solutions["parsimonious"]) == {"~DEV", "~STB"}
    fit = r.solution_fit[r.solution_fit["solution"] == "parsimonious"].set_index("term")
    assert fit.loc["~DEV", "raw_coverage"] == pytest.approx(0.8)
    assert fit.loc["~DEV", "unique_coverage"] == pytest.approx(0.3)
    assert fit.loc["~STB", "raw_coverage"] == pytest.approx(0.7)
    assert fit.loc["~STB", "unique_coverage"] == pytest.approx(0.2)


def test_necessity_lc(lc: pd.DataFrame) -> None:
    """Hand count on LC: all 8 surviving democracies have DEV=1 and STB=1 (necessity
    consistency 1); 10 countries have DEV=1, so coverage of DEV = 8/10."""
    nec = qca(lc, COND, "SURV").necessity.set_index("condition")
    assert nec.loc["DEV", "consistency"] == 1.0 and nec.loc["STB", "consistency"] == 1.0
    assert nec.loc["DEV", "coverage"] == pytest.approx(0.8)


def test_quine_mccluskey_textbook_example() -> None:
    """Classic QM example f(A,B,C) = Σm(0,1,2,5,6,7): six prime implicants (A'B', A'C', B'C,
    BC', AC, AB) and exactly two minimal covers of three terms each:
    A'B' + BC' + AC and A'C' + B'C + AB."""
    on = {tuple(int(b) for b in f"{m:03b}") for m in (0, 1, 2, 5, 6, 7)}
    primes = prime_implicants(on)
    assert len(primes) == 6
    sols = solve_chart(primes, on)
    as_sets = {frozenset(s) for s in sols}
    assert as_sets == {
        frozenset({(0, 0, None), (None, 1, 0), (1, None, 1)}),
        frozenset({(0, None, 0), (None, 0, 1), (1, 1, None)}),
    }


def test_fuzzy_fit_by_hand() -> None:
    """Hand-worked: X = (0.8, 0.6, 0.3), Y = (0.9, 0.4, 0.2).
    Σmin(X,Y) = 0.8+0.4+0.2 = 1.4; ΣX = 1.7; ΣY = 1.5 → consistency 1.4/1.7, coverage
    1.4/1.5. Σmin(X,Y,1−Y) = 0.1+0.4+0.2 = 0.7 → PRI = (1.4−0.7)/(1.7−0.7) = 0.7."""
    cons, pri, cov = sufficiency(np.array([0.8, 0.6, 0.3]), np.array([0.9, 0.4, 0.2]))
    assert cons == pytest.approx(1.4 / 1.7)
    assert cov == pytest.approx(1.4 / 1.5)
    assert pri == pytest.approx(0.7)


def test_fuzzy_truth_table_assigns_cases_by_half_membership() -> None:
    d = pd.DataFrame(
        {"A": [0.9, 0.7, 0.2, 0.4], "B": [0.8, 0.3, 0.6, 0.1], "Y": [0.9, 0.2, 0.7, 0.1]}, index=["w", "x", "y", "z"]
    )
    tt = truth_table(d, ["A", "B"], "Y", incl_cut=0.8).set_index(["A", "B"])
    assert tt.loc[(1, 1), "cases"] == "w" and tt.loc[(0, 0), "cases"] == "z"
    # row (1,1): memberships min(A,B) = 0.8, 0.3, 0.2, 0.1; Σmin(.,Y) = 0.8+0.2+0.2+0.1
    assert tt.loc[(1, 1), "consistency"] == pytest.approx(1.3 / 1.4)


def test_direct_calibration_anchors_follow_r_qca() -> None:
    """R QCA ``calibrate(x, thresholds = "e=..., c=..., i=...")`` (logistic, idm = 0.95):
    the exclusion anchor maps to 0.05, the crossover to 0.5, the inclusion anchor to 0.95;
    ``i < e`` gives a decreasing set."""
    m = calibrate([2500, 5000, 20000], e=2500, c=5000, i=20000)
    np.testing.assert_allclose(m, [0.05, 0.5, 0.95])
    dec = calibrate([165, 175, 185], e=185, c=175, i=165)
    np.testing.assert_allclose(dec, [0.95, 0.5, 0.05])
    assert np.isnan(calibrate([np.nan], 1, 2, 3)[0])


def test_direct_calibration_ragin_income_table() -> None:
    """Ragin (2008, Redesigning Social Inquiry, Table 5.2; income data as in QCA's calibrate
    help): full membership 20,000, crossover 5,000, full non-membership 2,500 USD, log-odds
    ±3 at the anchors. Printed memberships: Israel 17,090 → 0.92, Argentina 7,470 → 0.62,
    Hungary 4,670 → 0.40, Turkey 2,980 → 0.08 (2 decimals). Caveat: these four values are
    quoted from the book as remembered; its text could not be fetched here to re-check them
    (they do follow from the stated anchors and log-odds, e.g. Israel: 3·12090/15000 = 2.418
    → 0.918)."""
    idm = 1 / (1 + math.exp(-3))
    m = calibrate([17090, 7470, 4670, 2980], e=2500, c=5000, i=20000, idm=idm)
    np.testing.assert_allclose(m, [0.92, 0.62, 0.40, 0.08], atol=0.005)


def test_crisp_calibration_and_input_checks() -> None:
    assert calibrate_crisp([549, 550, np.nan], 550)[:2].tolist() == [0.0, 1.0]
    with pytest.raises(QCAInputError):
        calibrate([1], e=3, c=1, i=2)
    with pytest.raises(QCAInputError):
        qca(pd.DataFrame({"A": [2.0], "Y": [1.0]}), ["A"], "Y")
