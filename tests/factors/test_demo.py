"""The synthetic registry: marked synthetic, seeded, and effects recovered at stated sizes."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.data import AnalysisData
from chiiki.factors.demo import (
    CONFOUNDED_FACTOR,
    DEFAULT_EFFECTS,
    NULL_FACTOR,
    generate_confounded_demo,
    generate_demo,
    planted_effects,
)
from chiiki.factors.errors import FactorsError, UnknownFactorError

FAST = AnalysisParams(
    bootstrap=0, survival=False, qca=False, methods=("fisher",), adjust=False, sensitivity=False, competing=False
)


def test_everything_is_marked_synthetic() -> None:
    d = generate_demo(seed=1, n=60)
    assert d.n == 60
    assert d.adoptions["program_id"].str.startswith("DEMO_").all()
    assert d.participations["organization_name"].str.startswith("【合成データ】").all()
    assert d.adoptions["core_institution"].str.startswith("【合成データ】").all()
    assert d.adoptions["prefectures"].str.startswith("【合成データ】").all()


def test_seeded() -> None:
    a, b, c = generate_demo(3, 80), generate_demo(3, 80), generate_demo(4, 80)
    assert a.adoptions.equals(b.adoptions) and a.events.equals(b.events)
    assert not a.adoptions.equals(c.adoptions)


# the adoption columns the generator filled before issue 8 (data.ADOPTION_COLUMNS has grown since)
PRE_ISSUE8_COLUMNS = [
    "adoption_id",
    "program_id",
    "program_family",
    "hub_id",
    "start_fy",
    "end_fy",
    "budget_total_million_yen",
    "interim_grade",
    "final_grade",
    "n_companies",
    "n_institutions",
    "core_institution",
    "prefectures",
    "municipalities",
    "universities",
]


def _content_hash(data: AnalysisData) -> str:
    h = hashlib.sha256()
    for name, frame in data.frames().items():
        if name == "adoptions":
            frame = frame[PRE_ISSUE8_COLUMNS]
        h.update(name.encode())
        h.update(frame.to_csv(index=False, na_rep="<NA>").encode())
    return h.hexdigest()


def test_features_off_draw_nothing_and_chains_change_program() -> None:
    """The issue-8 features are off by default and then draw nothing; a hub's next adoption is in
    another program (a successor, never a next stage), and generated lists say they are complete."""
    d = generate_demo(7, 300)
    off = generate_demo(7, 300, confounding=False, hub_clustering=0.0, open_windows=False, unrecorded_participants=0.0)
    assert all(off.frames()[k].equals(d.frames()[k]) for k in d.frames())
    prog = d.adoptions.set_index("adoption_id")["program_id"]
    links = d.links
    assert len(links) and (prog[links["from_adoption_id"]].to_numpy() != prog[links["to_adoption_id"]].to_numpy()).all()
    listed = d.adoptions["adoption_id"].isin(d.participations["adoption_id"])
    assert (d.adoptions.loc[listed, "participants_recorded"] == "complete").all()
    assert d.adoptions.loc[~listed, "participants_recorded"].isna().all()


def test_each_feature_changes_the_data() -> None:
    base = generate_demo(5, 120)
    for kw in (
        {"confounding": True},
        {"hub_clustering": 1.0},
        {"open_windows": True},
        {"unrecorded_participants": 0.3},
    ):
        assert _content_hash(generate_demo(5, 120, **kw)) != _content_hash(base), kw  # type: ignore[arg-type]


def test_confounded_demo_is_seeded_and_marked_synthetic() -> None:
    a, b = generate_confounded_demo(8), generate_confounded_demo(8)
    assert a.n == 300 and a.adoptions.equals(b.adoptions) and a.participations.equals(b.participations)
    assert a.adoptions["program_id"].str.startswith("DEMO_").all()
    assert a.participations["organization_name"].str.startswith("【合成データ】").all()


@pytest.mark.parametrize("kw", [{"hub_clustering": -0.5}, {"hub_clustering": 50.0}, {"unrecorded_participants": 1.5}])
def test_bad_feature_values_are_refused(kw: dict[str, float]) -> None:
    with pytest.raises(FactorsError) as err:
        generate_demo(1, 10, **kw)  # type: ignore[arg-type]
    assert err.value.message.code == "factors.demo_bad_parameter"


def test_planted_effects_name_the_null_within_family() -> None:
    plain = planted_effects()
    assert [m.code for m in plain] == ["factors.planted_effect"] * len(DEFAULT_EFFECTS)
    confounded = planted_effects(confounding=True)
    assert confounded[: len(plain)] == plain
    (null,) = confounded[len(plain) :]
    assert null.code == "factors.planted_null_within_family"
    assert null.params["factor"]["code"] == f"factors.factor.{CONFOUNDED_FACTOR}"
    assert null.params["outcome"]["code"] == "factors.outcome.successor"
    # an effect planted on the confounded factor holds within family: no null message then
    with_effect = planted_effects({CONFOUNDED_FACTOR: ("successor", 2.0)}, confounding=True)
    assert [m.code for m in with_effect] == ["factors.planted_effect"]


def test_unknown_effect_is_refused() -> None:
    with pytest.raises(UnknownFactorError):
        generate_demo(1, 10, effects={"budget_per_year_oku_yen": ("successor", 2.0)})


def test_fisher_rows_do_not_depend_on_other_methods() -> None:
    """The fast simulation setting gives the same crude Fisher estimates and p-values as the
    full analysis (only the adjusted p-values differ: one BH family per outcome)."""
    data = generate_demo(7, 300)
    full = run_analysis(data, AnalysisParams(bootstrap=0, qca=False, survival=False, competing=False)).key_factors
    fast = run_analysis(data, FAST).key_factors
    full = full[full["method"] == "fisher"].reset_index(drop=True)
    cols = ["factor", "outcome", "estimate", "ci_low", "ci_high", "p_value", "n", "n_missing"]
    pd.testing.assert_frame_equal(full[cols], fast[cols].reset_index(drop=True))


def _recovery(seeds: range) -> pd.DataFrame:
    rows = []
    for seed in seeds:
        kf = run_analysis(generate_demo(seed, 300), FAST).key_factors.set_index(["factor", "outcome"])
        rows.append(
            {
                "planted": kf.loc[("final_grade_S", "successor"), "p_adjusted"] < 0.05,
                "planted_h2": kf.loc[("broad_partnership", "regional"), "p_adjusted"] < 0.05,
                "null_flagged": kf.loc[(NULL_FACTOR, "successor"), "p_adjusted"] < 0.05,
                "null_p": kf.loc[(NULL_FACTOR, "successor"), "p_value"] < 0.05,
            }
        )
    return pd.DataFrame(rows)


def test_planted_effect_is_found_quick() -> None:
    """Smoke version of the recovery test (4 seeds): OR 5 on n=300 is found in 3 of 4 at least
    (tested at the grade's landmark: successors chosen by the evaluation year are left out)."""
    assert DEFAULT_EFFECTS["final_grade_S"] == ("successor", 5.0)
    r = _recovery(range(100, 104))
    assert r["planted"].mean() >= 0.75 and r["planted_h2"].mean() >= 0.75
    assert not r["null_flagged"].any()


@pytest.mark.slow
def test_planted_effect_recovery_rates_50_seeds() -> None:
    """Over seeds 0–49 (n = 300 each): the planted OR 5 (final grade S → successor) is found
    with BH-adjusted p < 0.05 in ≥ 90 % of seeds; the null factor (financial institution)
    is flagged in ≤ 10 % (nominal 5 % plus noise for 50 draws)."""
    r = _recovery(range(50))
    assert r["planted"].mean() >= 0.90
    assert r["null_flagged"].mean() <= 0.10
    assert r["null_p"].mean() <= 0.12
