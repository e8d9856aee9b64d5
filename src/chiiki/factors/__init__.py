"""Key-factor statistics engine (重要因子の統計分析).

Which conditions let a regional innovation hub continue after the national program ends?
This package turns the registry (adoptions, participations, lineage links, post-program
events) into outcomes per adoption, candidate factors with documented rules, and tests
(Fisher exact, Firth logistic regression, Kaplan–Meier/Cox, crisp/fuzzy QCA), adjusted for
multiple testing, with verdicts on the survey's hypotheses H1/H2.

Results are language-free: labels, evidence, warnings and reasons are
:class:`chiiki.i18n.Message` objects (codes ``factors.*``, declared in
:mod:`chiiki.factors.messages`), and every result has ``to_dict()`` for JSON.

The package import is deliberately light: names below are resolved lazily (PEP 562) so that
``import chiiki.factors`` does not pull in pandas/scipy/lifelines (the CLI must start fast).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AnalysisData": "chiiki.factors.data",
    "load_analysis_data": "chiiki.factors.data",
    "default_cutoff_fy": "chiiki.factors.data",
    "compute_outcomes": "chiiki.factors.outcomes",
    "OutcomeResult": "chiiki.factors.outcomes",
    "Factor": "chiiki.factors.candidates",
    "FACTORS": "chiiki.factors.candidates",
    "compute_factors": "chiiki.factors.candidates",
    "AnalysisParams": "chiiki.factors.analysis",
    "FactorAnalysis": "chiiki.factors.analysis",
    "run_analysis": "chiiki.factors.analysis",
    "Verdict": "chiiki.factors.verdicts",
    "evidence_grade": "chiiki.factors.table",
    "evidence_message": "chiiki.factors.table",
    "evidence_label": "chiiki.factors.table",
    "factor_label": "chiiki.factors.labels",
    "outcome_label": "chiiki.factors.labels",
    "method_label": "chiiki.factors.labels",
    "status_label": "chiiki.factors.labels",
    "exclusion_message": "chiiki.factors.labels",
    "EVIDENCE_GRADES": "chiiki.factors.labels",
    "STATUSES": "chiiki.factors.labels",
    "KEY_FACTOR_COLUMNS": "chiiki.factors.table",
    "RECORD_KEYS": "chiiki.factors.table",
    "generate_demo": "chiiki.factors.demo",
    "write_demo": "chiiki.factors.demo",
    "write_demo_database": "chiiki.factors.demo",
    "planted_effects": "chiiki.factors.demo",
    "FactorsWarning": "chiiki.factors.errors",
    "SeparationWarning": "chiiki.factors.errors",
    "SmallSampleWarning": "chiiki.factors.errors",
    "FactorsError": "chiiki.factors.errors",
    "UnknownFactorError": "chiiki.factors.errors",
    "DemoDatabaseError": "chiiki.factors.errors",
    "QCAInputError": "chiiki.factors.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chiiki.factors' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
