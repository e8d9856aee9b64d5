"""Workbench methods for the key-factor engine: analyse the registry, the key-factor table, and
the synthetic demo registry.

    wb = Workbench.open("survey.db", lang="en")
    analysis = wb.analyse(window=5)              # FactorAnalysis, language-free
    table = wb.key_factor_table(analysis)        # Table of the rows, message cells
    json.dumps(analysis.to_dict(), allow_nan=False)

    Workbench.open("demo.db").generate_demo(seed=1, n=300)   # Done
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from chiiki.i18n import msg
from chiiki.workbench.core import WorkbenchCore
from chiiki.workbench.errors import WorkbenchError
from chiiki.workbench.results import Done, Table

if TYPE_CHECKING:
    from chiiki.factors.analysis import FactorAnalysis

KEY_FACTOR_TABLE_COLUMNS = [
    "factor",
    "factor_label",
    "outcome",
    "outcome_label",
    "analysis",
    "analysis_label",
    "method",
    "method_label",
    "adjusted_for",
    "clustering",
    "estimate",
    "ci_low",
    "ci_high",
    "cluster_ci_low",
    "cluster_ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_missing",
    "n_events",
    "n_time_order",
    "hypothesis",
    "p_family",
    "evidence",
    "evidence_label",
    "warnings",
]


# The analysis is a pure function of the data and the parameters, and costs seconds (bootstrap,
# Cox, QCA) while a study group asks for the same table, then the report, then the report in the
# other language. So the last few results are kept per process, keyed by the data's sha256 (over
# every row the analysis reads) and every parameter; callers get a copy, never the cached object.
_CACHE_SIZE = 8
_cache: OrderedDict[tuple[str, str], FactorAnalysis] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(key: tuple[str, str]) -> FactorAnalysis | None:
    with _cache_lock:
        hit = _cache.get(key)
        if hit is None:
            return None
        _cache.move_to_end(key)
        return copy.deepcopy(hit)


def _remember(key: tuple[str, str], analysis: FactorAnalysis) -> None:
    with _cache_lock:
        _cache[key] = copy.deepcopy(analysis)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


class FactorsMethods(WorkbenchCore):
    """Factors methods of :class:`chiiki.Workbench`."""

    def analyse(self, window: int = 5, cutoff: int | None = None, **params: Any) -> FactorAnalysis:
        """The key-factor analysis of this workbench's registry.

        ``window`` is the successor window in FY, ``cutoff`` the cut-off FY (default: the latest
        FY in the data); ``params`` are further :class:`chiiki.factors.AnalysisParams` fields
        (``bootstrap=0``, ``qca=False``, ``alpha=0.1`` ...). The data are read in one session; the
        statistics run after it is closed. The result is language-free (messages, not text).
        The same data with the same parameters give the same result, so a repeated call is served
        from a small per-process cache (see ``_cache``).
        """
        from chiiki.factors.analysis import AnalysisParams, run_analysis
        from chiiki.factors.data import data_hash, load_analysis_data

        known = {f.name for f in dataclasses.fields(AnalysisParams)} - {"successor_window_years", "cutoff_fy"}
        unknown = sorted(set(params) - known)
        if unknown:
            raise WorkbenchError(msg("factors.unknown_parameter", "error", name=", ".join(unknown)))
        for name in ("qca_conditions", "methods"):
            if name in params and not isinstance(params[name], tuple):
                params[name] = tuple(params[name])
        analysis_params = AnalysisParams(successor_window_years=window, cutoff_fy=cutoff, **params)
        with self.session() as s:
            data = load_analysis_data(s, cutoff_fy=cutoff)
        key = (data_hash(data), repr(analysis_params))
        cached = _cached(key)
        if cached is not None:
            return cached
        analysis = run_analysis(data, analysis_params)
        _remember(key, analysis)
        return analysis

    def key_factor_table(self, analysis: FactorAnalysis, primary_only: bool = False) -> Table:
        """The key-factor rows as a :class:`Table` (labels, evidence and warnings as messages;
        the analysis-wide warnings as the table's warnings). ``primary_only`` keeps the rows the
        grades read (adjusted within program family and era, clustered by hub), not the crude ones."""
        from chiiki.serialize import frame_records

        kf = analysis.key_factors
        if primary_only:
            kf = kf[kf["p_family"].notna()]
        kf = kf.assign(analysis_label=[msg(f"factors.analysis.{a}", "info") for a in kf["analysis"]])
        rows = frame_records(kf[[c for c in KEY_FACTOR_TABLE_COLUMNS]])["rows"]
        for r, (_, src) in zip(rows, kf.iterrows(), strict=True):
            # keep the Message objects themselves (frame_records made dicts of them)
            for col in ("factor_label", "outcome_label", "analysis_label", "method_label", "evidence_label"):
                r[col] = src[col]
            r["warnings"] = list(src["warnings"])
        return Table(
            columns=list(KEY_FACTOR_TABLE_COLUMNS),
            rows=rows,
            title=msg("factors.key_factors_title", "info"),
            warnings=list(analysis.warnings),
        )

    def generate_demo(self, seed: int = 0, n: int = 300) -> Done:
        """Write a seeded synthetic registry (planted effects, every name marked synthetic) into
        this workbench's database, which must hold no adoptions yet. The schema is created and
        stamped like any new database, so every command opens the file afterwards."""
        from chiiki.factors.demo import DEFAULT_EFFECTS, generate_demo, planted_effects, write_demo

        data = generate_demo(seed=seed, n=n)
        self.ensure_schema()  # the demo writes into a new file: it may create it
        with self.session(write=True) as s:
            counts = write_demo(s, data)
        return Done(
            message=msg("factors.demo_written", "info", seed=seed, **counts),
            counts=counts,
            data={
                "seed": seed,
                "effects": {k: {"outcome": o, "odds_ratio": r} for k, (o, r) in DEFAULT_EFFECTS.items()},
                "planted": [m.to_dict() for m in planted_effects()],
            },
        )
