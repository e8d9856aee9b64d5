"""The hub-clustered sandwich variance, pinned to statsmodels' cluster-robust GLM covariance
(at the maximum-likelihood estimate, without the small-sample correction) to 1e-8."""

from __future__ import annotations

import numpy as np
import pytest

from chiiki.factors.methods.sandwich import logistic_sandwich, robust_wald


@pytest.fixture
def clustered() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(40), 3)
    u = rng.normal(0, 1, 40)[g]
    x = rng.normal(0, 1, len(g))
    X = np.column_stack([np.ones(len(g)), x, (rng.random(len(g)) < 0.5).astype(float)])
    y = (rng.random(len(g)) < 1 / (1 + np.exp(-(-0.3 + 0.8 * x + u)))).astype(float)
    return X, y, g


def test_sandwich_equals_statsmodels_cluster_covariance(clustered) -> None:
    import statsmodels.api as sm

    X, y, g = clustered
    fit = sm.GLM(y, X, family=sm.families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": g, "use_correction": False}, tol=1e-12
    )
    ours = logistic_sandwich(X, y, fit.params, g)
    np.testing.assert_allclose(ours, fit.cov_params(), rtol=1e-8)
    se, lo, hi, p = robust_wald(X, y, fit.params, g, 1)
    assert se == pytest.approx(fit.bse[1], rel=1e-8)
    assert p == pytest.approx(fit.pvalues[1], rel=1e-6)
    assert lo == pytest.approx(np.exp(fit.conf_int()[1, 0]), rel=1e-8)


def test_clustering_widens_the_interval_when_outcomes_share_a_hub(clustered) -> None:
    import statsmodels.api as sm

    X, y, g = clustered
    fit = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-12)
    one_per_row = robust_wald(X, y, fit.params, np.arange(len(y)), 2)[0]
    by_hub = robust_wald(X, y, fit.params, g, 2)[0]
    assert by_hub != pytest.approx(one_per_row, rel=1e-3)


def test_sandwich_equals_r_geepack_robust_se() -> None:
    """R 4.2.2, geepack 1.3.9, ``geeglm(y ~ x + z, id = hub, family = binomial, corstr =
    "independence")`` on tests/factors/data/clustered_logit.csv (script tests/factors/r/sandwich.R):
    the independence GEE's coefficients are the ML ones and its robust SE is our sandwich; 1e-6."""
    from pathlib import Path

    import pandas as pd
    import statsmodels.api as sm

    d = pd.read_csv(Path(__file__).parent / "data" / "clustered_logit.csv")
    X = np.column_stack([np.ones(len(d)), d["x"], d["z"]])
    beta = sm.GLM(d["y"].to_numpy(), X, family=sm.families.Binomial()).fit(tol=1e-12).params
    np.testing.assert_allclose(beta, [-0.512563846065874, 0.669367842706705, -0.113166374333834], rtol=1e-6)
    se = np.sqrt(np.diag(logistic_sandwich(X, d["y"].to_numpy(), beta, d["hub"].to_numpy())))
    np.testing.assert_allclose(se, [0.214187195843383, 0.218653684413568, 0.382970996204186], rtol=1e-6)
