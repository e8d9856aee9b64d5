"""Cumulative incidence and cause-specific Cox, pinned to R cmprsk and survival.

Reference values: R 4.2.2, cmprsk 2.2-11 ``cuminc(time, cause, group)`` (estimate and variance
after each jump) and survival 3.5.3 ``coxph(Surv(time, cause == 1) ~ ga + x, ties = "efron")``
with ``cox.zph``, printed by ``tests/factors/r/competing.R`` on ``tests/factors/data/competing.csv``
(120 synthetic adoptions, whole-year times: heavy ties; written by the same script).
Tolerances: CIF 1e-12 absolute (closed form), variance 1e-10 relative, Cox as in
test_cox_adjusted (coef/se/zph 1e-8 relative, p 1e-7 relative).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.competing import cause_specific_cox, cumulative_incidence

DATA = Path(__file__).parent / "data" / "competing.csv"

# cuminc: (group, cause) -> [(time, est, var)]
R_CUMINC = {
    ("a", 1): [
        (1, 0.171875000000000, 0.00225926959325397),
        (2, 0.265625000000000, 0.00304685351516797),
        (3, 0.281250000000000, 0.00314542018441688),
        (4, 0.356681034482759, 0.00374848383263215),
        (5, 0.489794624746450, 0.00504357194120797),
        (6, 0.521741886409736, 0.00535389797323607),
        (7, 0.585636409736308, 0.00560108738787943),
        (10, 0.681478194726166, 0.01245143358141099),
    ],
    ("b", 1): [
        (1, 0.142857142857143, 0.00222634508348794),
        (2, 0.214285714285714, 0.00302860232614043),
        (3, 0.250000000000000, 0.00335294597120993),
        (4, 0.316428571428571, 0.00410628038204492),
        (5, 0.371134453781513, 0.00483590607607923),
        (7, 0.409428571428571, 0.00566067975031583),
        (8, 0.455381512605042, 0.00676445303662727),
        (9, 0.516652100840336, 0.00886971203650000),
    ],
    ("a", 2): [
        (1, 0.093750000000000, 0.00134858630952381),
        (2, 0.171875000000000, 0.00221703940464397),
        (4, 0.190732758620690, 0.00245376506245868),
        (6, 0.222680020283976, 0.00328205247023664),
    ],
    ("b", 2): [
        (1, 0.0892857142857143, 0.00147843228200371),
        (2, 0.1607142857142857, 0.00241983609237420),
        (3, 0.1964285714285715, 0.00281375302130269),
        (4, 0.2185714285714286, 0.00313278894468948),
        (5, 0.2459243697478992, 0.00364026866604903),
        (7, 0.3608067226890757, 0.00620241385795052),
    ],
    ("all", 2): [
        (1, 0.0916666666666667, 0.000699696545284781),
        (2, 0.1666666666666667, 0.001146773072524890),
        (3, 0.1833333333333333, 0.001230466156822457),
        (4, 0.2037037037037037, 0.001364327037292295),
        (5, 0.2171840958605664, 0.001492224707358438),
        (6, 0.2324228000378895, 0.001655271870624670),
        (7, 0.2857582646585204, 0.002264887585714090),
    ],
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    d = pd.read_csv(DATA)
    assert len(d) == 120 and d["time"].nunique() == 10
    return d


def _check(out: pd.DataFrame, group: str, cause: int) -> None:
    sub = out[(out["group"] == group) & (out["cause"] == cause)]
    ref = np.array(R_CUMINC[(group, cause)])
    assert sub["time"].tolist() == ref[:, 0].tolist()
    assert sub["cif"].to_numpy() == pytest.approx(ref[:, 1], abs=1e-12)
    assert sub["variance"].to_numpy() == pytest.approx(ref[:, 2], rel=1e-10)


def test_cuminc_by_group_matches_cmprsk(data: pd.DataFrame) -> None:
    out = cumulative_incidence(data["time"], data["cause"], data["group"])
    assert list(out.columns) == ["group", "cause", "time", "cif", "variance"]
    for group, cause in [("a", 1), ("b", 1), ("a", 2), ("b", 2)]:
        _check(out, group, cause)
    assert len(out) == 26


def test_cuminc_pooled_matches_cmprsk(data: pd.DataFrame) -> None:
    out = cumulative_incidence(data["time"], data["cause"])
    assert set(out["group"]) == {"all"}
    _check(out, "all", 2)
    first = out[out["cause"] == 1].iloc[0]
    assert (first["time"], first["cif"]) == (1.0, pytest.approx(19 / 120))


def test_cif_by_hand_and_causes_sum_to_one_minus_km() -> None:
    """Times 1,1,2,3,3 causes 1,2,0,1,1: S = 1, 3/5, 3/5, 0 → F1(1) = 1/5, F2(1) = 1/5,
    F1(3) = 1/5 + (3/5)·2/2 = 4/5; F1 + F2 = 1 − S at the end."""
    out = cumulative_incidence([1, 1, 2, 3, 3], [1, 2, 0, 1, 1])
    f1 = out[out["cause"] == 1].set_index("time")["cif"]
    f2 = out[out["cause"] == 2].set_index("time")["cif"]
    assert f1.to_dict() == pytest.approx({1.0: 0.2, 3.0: 0.8})
    assert f2.to_dict() == pytest.approx({1.0: 0.2})
    assert f1.iloc[-1] + f2.iloc[-1] == pytest.approx(1.0)
    assert (out["variance"] >= 0).all()


def test_without_ties_equals_lifelines_aalen_johansen() -> None:
    """On untied times lifelines' AalenJohansenFitter does not jitter; the estimates must agree."""
    from lifelines import AalenJohansenFitter

    rng = np.random.default_rng(3)
    t = rng.permutation(np.arange(1, 41)).astype(float)
    c = rng.integers(0, 3, size=40)
    ours = cumulative_incidence(t, c).query("cause == 1").set_index("time")["cif"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no jitter warning may occur
        aj = AalenJohansenFitter().fit(t, c, event_of_interest=1).cumulative_density_.iloc[:, 0]
    assert aj.reindex(ours.index).to_numpy() == pytest.approx(ours.to_numpy(), abs=1e-12)


def test_nan_rows_dropped_and_no_events() -> None:
    out = cumulative_incidence([1, 2, np.nan, 3], [1, np.nan, 1, 0], ["g", "g", "g", None])
    assert out[["time", "cif"]].values.tolist() == [[1.0, 1.0]]
    empty = cumulative_incidence([1, 2], [0, 0])
    assert empty.empty and list(empty.columns) == ["group", "cause", "time", "cif", "variance"]


def test_cause_specific_cox_matches_coxph(data: pd.DataFrame) -> None:
    """coxph(Surv(time, cause == 1) ~ ga + x) and cause 2, other causes censored; cox.zph for cause 1."""
    X = pd.DataFrame({"ga": (data["group"] == "a").astype(float), "x": data["x"]})
    r = cause_specific_cox(data["time"], data["cause"], X, cause_of_interest=1)
    s = r.summary
    assert s["coef"].tolist() == pytest.approx([0.381605563562163, 0.535538220505663], rel=1e-8)
    assert s["se"].tolist() == pytest.approx([0.281321116316558, 0.150311871193504], rel=1e-8)
    assert s["p_value"].tolist() == pytest.approx([0.174947516702201072, 0.000366854314477892], rel=1e-7)
    assert r.ph_test["statistic"].tolist() == pytest.approx(
        [0.0136408990000508, 0.1404978214857910, 0.1510086023788041], rel=1e-8
    )
    assert r.n_events == 53 and r.n == 120
    r2 = cause_specific_cox(data["time"], data["cause"], X, cause_of_interest=2)
    assert r2.summary["coef"].tolist() == pytest.approx([-0.2825677346333522, -0.0543838494608233], rel=1e-8)
    assert r2.summary["se"].tolist() == pytest.approx([0.374531685709256, 0.199696627732941], rel=1e-8)


def test_cause_specific_cox_drops_unknown_cause() -> None:
    d = pd.read_csv(DATA)
    cause = d["cause"].astype(float).copy()
    cause.iloc[:5] = np.nan
    r = cause_specific_cox(d["time"], cause, d[["x"]], cause_of_interest=1)
    assert r.n == 115
