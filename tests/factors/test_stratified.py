"""Mantel–Haenszel (asymptotic and exact conditional), pinned to R ``mantelhaen.test``.

Reference values: R 4.2.2 ``mantelhaen.test(x, y, z)`` and ``mantelhaen.test(..., exact = TRUE)``,
printed by ``tests/factors/r/mantel_haenszel.R`` (factor levels c(1, 0), so R's x[1,1,] is chiiki's
a = x1y1 cell). Tolerances: asymptotic estimate/CI/statistic/p 1e-9 relative (closed forms). Exact:
p-value 1e-9 relative (a sum of R's density, no root-finding); estimate and CI 1e-6 relative against
the same root-finding redone in R with ``uniroot(tol = 1e-14)`` ("exact tight" in the script),
and 2e-2 relative against what ``mantelhaen.test`` itself prints, because R's ``uniroot`` stops at
its default tolerance (~1.2e-4 on the odds-ratio scale; the rabbits upper limit differs by 0.3%).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.stratified import mantel_haenszel, strata_tables

# a, b, c, d per stratum (a = x1y1, b = x1y0, c = x0y1, d = x0y0)
RABBITS = [[0, 6, 0, 5], [3, 3, 0, 6], [6, 0, 2, 4], [5, 1, 6, 0], [2, 0, 5, 0]]
UCB = [[512, 313, 89, 19], [353, 207, 17, 8], [120, 205, 202, 391], [138, 279, 131, 244], [53, 138, 94, 299],
       [22, 351, 24, 317]]  # fmt: skip
SMALL = [[3, 1, 1, 4], [2, 2, 0, 3], [2, 1, 0, 0]]


def expand(tables: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y, z = [], [], []
    for k, counts in enumerate(tables):
        for (xv, yv), cnt in zip([(1, 1), (1, 0), (0, 1), (0, 0)], counts, strict=True):
            x += [xv] * cnt
            y += [yv] * cnt
            z += [f"s{k}"] * cnt
    return np.array(x, float), np.array(y, float), np.array(z, object)


# name: (tables, asymptotic (est, lo, hi, stat, p), exact printed (est, lo, hi, p), exact tight (est, lo, hi))
R = {
    "rabbits": (
        RABBITS,
        (7.0, 1.02671268846167, 47.7251333802226, 3.92857142857143, 0.0474722551429181),
        (10.3610240813749, 1.07740143018898, 529.837399023352, 0.0399449035812672),
        (10.3610463494886, 1.07738776351803, 531.512782889934),
    ),
    "ucb": (
        UCB,
        (0.904696828258623, 0.77190736175935, 1.06032976443666, 1.42694622858669, 0.232263462817048),
        (0.905076193637823, 0.769714040580826, 1.06341699278002, 0.227762526798206),
        (0.90506996134097, 0.769730358525831, 1.06342922808982),
    ),
    "small": (
        SMALL,
        (19.7142857142857, 0.910746047887398, 426.741419439617, 2.43249385749386, 0.118843695174509),
        (11.516326223724, 0.724568901259112, 855.489426702924, 0.0578231292517007),
        (11.5193225262057, 0.724546210441312, 862.55298697434),
    ),
}


@pytest.mark.parametrize("name", list(R))
def test_asymptotic_matches_r(name: str) -> None:
    tables, (est, lo, hi, stat, p), _, _ = R[name]
    r = mantel_haenszel(*expand(tables))
    assert r.method == "mantel_haenszel"
    got = [r.estimate, r.ci_low, r.ci_high, r.statistic, r.p_value]
    assert got == pytest.approx([est, lo, hi, stat, p], rel=1e-9)
    assert r.n == sum(map(sum, tables))


@pytest.mark.parametrize("name", list(R))
def test_exact_matches_r(name: str) -> None:
    tables, _, (pest, plo, phi, p), (est, lo, hi) = R[name]
    r = mantel_haenszel(*expand(tables), exact=True)
    assert r.method == "exact_conditional"
    assert r.p_value == pytest.approx(p, rel=1e-9)
    assert [r.estimate, r.ci_low, r.ci_high] == pytest.approx([est, lo, hi], rel=1e-6)
    assert [r.estimate, r.ci_low, r.ci_high] == pytest.approx([pest, plo, phi], rel=2e-2)
    assert r.statistic == sum(t[0] for t in tables)


def test_rabbits_non_informative_strata_are_counted() -> None:
    """Strata 1/8 (nobody cured) and 4 (everybody cured) carry no information."""
    r = mantel_haenszel(*expand(RABBITS))
    assert (r.n_strata, r.n_strata_informative, r.n) == (5, 3, 54)
    assert r.tables["informative"].tolist() == [False, True, True, True, False]
    assert not r.warnings


def test_single_case_stratum_and_nan_rows_are_dropped_from_the_estimate() -> None:
    """R refuses a stratum of one case; it carries no information, so the answer equals R's on SMALL."""
    x, y, z = expand(SMALL)
    x = np.append(x, [1.0, np.nan, 1.0])
    y = np.append(y, [0.0, 1.0, 1.0])
    z = np.append(z, ["lonely", "s0", None]).astype(object)
    for exact in (False, True):
        r = mantel_haenszel(x, y, z, exact=exact)
        ref = mantel_haenszel(*expand(SMALL), exact=exact)
        assert (r.n, r.n_strata, r.n_strata_informative) == (20, 4, 2)
        assert [r.estimate, r.ci_low, r.ci_high, r.p_value] == pytest.approx(
            [ref.estimate, ref.ci_low, ref.ci_high, ref.p_value], rel=1e-12
        )


def test_one_stratum_exact_equals_fisher() -> None:
    """With one stratum the exact conditional analysis is Fisher's test (pinned to R in test_fisher)."""
    from chiiki.factors.methods.fisher import fisher_table

    table = [[7, 3], [2, 8]]
    r = mantel_haenszel(*expand([[7, 3, 2, 8]]), exact=True)
    f = fisher_table(table).summary.iloc[0]
    assert [r.estimate, r.ci_low, r.ci_high, r.p_value] == pytest.approx(
        [f["estimate"], f["ci_low"], f["ci_high"], f["p_value"]], rel=1e-7
    )


def test_no_informative_strata_gives_nan_and_a_warning() -> None:
    x, y, z = expand([[3, 0, 2, 0], [0, 0, 4, 5]])  # every y=1 in s0; only x=0 in s1
    for exact in (False, True):
        r = mantel_haenszel(x, y, z, exact=exact)
        assert np.isnan([r.estimate, r.ci_low, r.ci_high, r.p_value]).all()
        assert [w.code for w in r.warnings] == ["factors.mh_no_informative_strata"]
        assert (r.n_strata, r.n_strata_informative) == (2, 0)
    empty = mantel_haenszel([], [], [])
    assert (empty.n, empty.n_strata) == (0, 0) and np.isnan(empty.estimate)


def test_zero_off_diagonal_gives_infinite_estimate_not_an_error() -> None:
    """b = c = 0 in every stratum: MH OR infinite (R: Inf with NaN limits), exact MLE infinite with a
    finite lower limit; both warn."""
    x, y, z = expand([[3, 0, 0, 2], [2, 0, 0, 3]])
    a = mantel_haenszel(x, y, z)
    assert np.isinf(a.estimate) and np.isnan(a.ci_low) and 0 < a.p_value < 1
    assert [w.code for w in a.warnings] == ["factors.mh_zero_cells"]
    e = mantel_haenszel(x, y, z, exact=True)
    assert np.isinf(e.estimate) and np.isinf(e.ci_high) and 0 < e.ci_low < np.inf
    assert [w.code for w in e.warnings] == ["factors.mh_estimate_at_bound"]


def test_small_continuity_correction_only_when_delta_is_at_least_half() -> None:
    """R applies the 0.5 correction only if |Σ(a - E a)| >= 0.5; here Σ(a - E a) = 0 → statistic 0, p 1."""
    r = mantel_haenszel(*expand([[1, 1, 1, 1], [2, 2, 2, 2]]))
    assert r.statistic == 0.0 and r.p_value == 1.0 and r.estimate == pytest.approx(1.0)


def test_tables_and_to_dict() -> None:
    t = strata_tables(*expand(SMALL))
    assert t[["a", "b", "c", "d"]].to_numpy().tolist() == SMALL
    r = mantel_haenszel(*expand(SMALL), exact=True)
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["method"] == "exact_conditional" and d["n_strata"] == 3
    assert d["tables"]["columns"] == ["stratum", "a", "b", "c", "d", "informative"]
    assert isinstance(pd.DataFrame(d["tables"]["rows"]), pd.DataFrame)
