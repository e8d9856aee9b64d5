"""Candidate factors: documented rules, missing stays missing."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from chiiki.factors.candidates import (
    FACTORS,
    compute_factors,
    get_factor,
    normalize_grade,
    split_names,
)
from chiiki.factors.errors import UnknownFactorError
from chiiki.i18n import Message, render


def test_every_factor_has_labels_and_rule() -> None:
    for f in FACTORS.values():
        assert f.label == Message(f"factors.factor.{f.name}", {}, "info")
        assert f.rule and f.kind in ("binary", "continuous")
        # both languages, and the Japanese is not the English left untranslated
        assert f.label_en and f.label_ja and f.label_ja != f.label_en
    with pytest.raises(UnknownFactorError) as err:
        get_factor("nope")
    assert err.value.message.code == "factors.unknown_factor" and "nope" in str(err.value)
    family = get_factor("program_family=KC")
    assert family.label.params == {"family": "KC"}
    assert render(family.label, "en") == "Program family = KC"
    assert render(family.label, "ja") == "事業ファミリー＝KC"
    assert FACTORS["final_grade_S"].label_ja == "事後評価S"
    json.dumps([f.to_dict() for f in FACTORS.values()], allow_nan=False)


def test_no_participations_warning(make_adoption) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from chiiki.factors.data import make_analysis_data

    data = make_analysis_data(pd.DataFrame([make_adoption("A1", start_fy=2002, end_fy=2006)]))
    assert compute_factors(data).warnings == [Message("factors.no_participations", {}, "warning")]


def test_grades() -> None:
    assert normalize_grade("Ｓ") == "S" and normalize_grade(" a ") == "A"
    assert normalize_grade("-") is None and normalize_grade(None) is None
    assert normalize_grade(float("nan")) is None


def test_split_names() -> None:
    assert split_names("北海道、札幌市") == ["北海道", "札幌市"]
    assert split_names("東北大学; 山形大学") == ["東北大学", "山形大学"]
    assert split_names(None) == [] and split_names("") == []


def test_values_on_tiny_registry(tiny) -> None:  # type: ignore[no-untyped-def]
    ft = compute_factors(tiny)
    s = ft.summary
    a1, a3 = s.loc["A1"], s.loc["A3"]
    assert a1["final_grade_S"] == 1 and a3["final_grade_S"] == 0
    assert math.isnan(s.loc["A2", "final_grade_S"])  # '-' is not a grade
    assert a1["interim_grade_ordinal"] == 3  # full-width Ａ
    # A1: 5 organizations of 5 kinds (foundation counted once despite two roles)
    assert a1["n_org_kinds"] == 5
    assert a1["blau_index"] == pytest.approx(1 - 5 * 0.2**2)
    assert a1["shannon_index"] == pytest.approx(math.log(5))
    assert a1["broad_partnership"] == 1 and a1["n_h2_partner_kinds"] == 4
    # A3's list is partial: what it does not name is unknown, not absent
    assert math.isnan(a3["broad_partnership"]) and math.isnan(a3["has_local_government"])
    assert math.isnan(a3["blau_index"]) and a3["n_universities"] == 2
    # no participation rows: unknown, not "absent"
    for col in ("has_local_government", "n_org_kinds", "broad_partnership", "blau_index"):
        assert math.isnan(s.loc["A5", col])
    assert a1["core_is_foundation"] == 1 and a3["core_is_university"] == 1
    assert math.isnan(s.loc["A5", "core_is_university"])
    assert a1["n_local_gov_applicants"] == 2
    assert math.isnan(s.loc["A5", "n_local_gov_applicants"])
    assert a1["duration_years"] == 5 and a1["budget_per_year_oku_yen"] == pytest.approx(5.0)
    assert math.isnan(s.loc["A6", "duration_years"])
    assert s.loc["A6", "n_universities"] == 2  # from the page's list
    assert math.isnan(s.loc["A1", "n_companies"])
    assert s.loc["A1", "prior_adoptions"] == 0 and s.loc["A2", "prior_adoptions"] == 1
    assert s.loc["A4", "prior_adoptions"] == 1  # linked predecessor, no hub
    assert s.loc["A3", "program_family=F2"] == 1 and s.loc["A1", "program_family=F2"] == 0
    assert ft.n_missing["final_grade_S"] == 4
    assert ft.n_missing["has_company"] == int(np.isnan(s["has_company"]).sum()) == 5
