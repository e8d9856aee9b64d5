"""Code × group cross-tabulation, χ² and Haberman adjusted residuals."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import Table

from chiiki.text import CodingRules, Doc, adjusted_residuals, crosstab


def test_adjusted_residuals_agresti_party_identification():
    """Agresti (2007) An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5:
    gender × party identification (Democrat, Independent, Republican), females 762 327 468,
    males 484 239 477; standardized (adjusted) residuals 4.50, 0.70, −5.32 for females and
    the negatives for males; X² = 30.07 on 2 df. Tolerance 0.005; also checked against
    statsmodels' Table.standardized_resids."""
    table = pd.DataFrame([[762, 327, 468], [484, 239, 477]], index=["F", "M"], columns=["D", "I", "R"])
    res = adjusted_residuals(table)
    assert res.loc["F"].tolist() == pytest.approx([4.50, 0.70, -5.32], abs=0.005)
    assert res.loc["M"].tolist() == pytest.approx([-4.50, -0.70, 5.32], abs=0.005)
    assert res.to_numpy() == pytest.approx(Table(table.to_numpy()).standardized_resids)


def test_crosstab_on_coded_documents(tokenizer):
    rules = CodingRules.parse("*人材: 人材 | コーディネーター\n*資金: 資金")
    docs = [Doc(f"t{i}", "人材が重要。", {"hub": "鶴岡"}) for i in range(6)]
    docs += [Doc(f"f{i}", "資金が重要。", {"hub": "福岡"}) for i in range(6)]
    docs += [Doc("x", "コーディネーターと資金。", {})]
    res = crosstab(docs, tokenizer, rules, "hub")
    assert res.n == 12
    assert res.counts.loc["鶴岡"].tolist() == [6, 0]
    assert res.table.loc["total", "人材 (%)"] == pytest.approx(50.0)
    assert res.table.loc["total", "documents"] == 12
    # 2×2 table [[6,0],[0,6]]: X² = 12, adjusted residual = sqrt(12) = 3.464
    chi = res.chi2.set_index("code")
    assert chi.loc["人材", "chi2"] == pytest.approx(12.0)
    assert res.adjusted_residuals.loc["鶴岡", "人材"] == pytest.approx(12**0.5)
    codes = [(w.code, dict(w.params)) for w in res.warnings]
    assert ("text.documents_lack_variable", {"n": 1, "variable": "hub"}) in codes  # x has no hub
    # every expected count is 3 < 5
    assert ("text.small_expected", {"name": "人材", "n": 4, "cells": 4}) in codes
