"""Candidate factors, each with a written rule (the registry ``FACTORS``).

Rules that matter for honesty:
- **Not recorded is not absent.** A participant list is *complete* only when the registry says
  so (``participants_recorded = complete``); the lists derived from the pages (core institution,
  universities, applicant governments) are partial. From a partial list a kind that appears is
  present (1), a kind that does not appear is *unknown* (NaN), never 0; diversity indices need a
  complete list (on a partial one they measure recording practice, not partnership). The
  sensitivity run ``unknown_as_absent=True`` restores the old reading (listed = complete) so
  the report can show both side by side.
- **As of the cut-off.** A grade is seen only when its evaluation took place by the cut-off FY:
  the final grade at ``final_evaluation_fy`` (the FY of the ex-post evaluation where a source
  gives it, else the FY after the end, when 事後評価 is normally held), the interim grade at the
  programme's midpoint.
- **Time order.** Each factor says when it becomes known (``known_at``: ``start`` for the design
  of the adoption, ``interim``, ``final_evaluation``); :func:`known_at_fy` gives the FY per
  adoption, and the analysis does not use a factor to predict an outcome that came first.
- **Missing stays missing.** A value that the registry does not hold is NaN, counted per
  factor, never filled with 0. In particular an adoption with *no participation rows at all*
  has unknown stakeholder composition (NaN), not "no local government".
- Grade ``-`` (a dash on the evaluation page) is not a grade: missing.
- Grades are compared after NFKC + upper-case (``Ｓ`` = ``S``); the scale is S > A > B > C > D.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chiiki.factors.data import AnalysisData, default_cutoff_fy
from chiiki.factors.errors import UnknownFactorError
from chiiki.factors.labels import FAMILY_PREFIX, factor_label
from chiiki.i18n import Message, msg

GRADE_ORDER = {"S": 4.0, "A": 3.0, "B": 2.0, "C": 1.0, "D": 0.0}
H2_KINDS = ("local_government", "company", "foundation", "public_research_institute")
# list separators as pages write them: the ideographic comma U+3001 and the middle dot U+30FB,
# comma, semicolon and slash in ASCII and full width (U+FF0C, U+FF1B, U+FF0F)
_SPLIT = re.compile(r"\s*(?:[\u3001,\uff0c;\uff1b/\uff0f\u30fb]|\s\|\s|\n)\s*")


@dataclass(frozen=True)
class Factor:
    """One candidate factor: its stable name, the rule that computes it, and (``label``) the
    message that names it for a reader. ``rule`` and ``unit`` are English documentation."""

    name: str
    rule: str
    kind: str = "binary"  # "binary" or "continuous"
    unit: str = ""
    known_at: str = "start"  # "start", "interim" or "final_evaluation" (see known_at_fy)
    compute: Callable[[pd.DataFrame], pd.Series] | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> Message:
        return factor_label(self.name)

    @property
    def label_ja(self) -> str:
        """The label in Japanese (compatibility; prefer ``render(factor.label, lang)``)."""
        from chiiki.i18n import render

        return render(self.label, "ja")

    @property
    def label_en(self) -> str:
        from chiiki.i18n import render

        return render(self.label, "en")

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label.to_dict(),
            "rule": self.rule,
            "kind": self.kind,
            "unit": self.unit,
            "known_at": self.known_at,
        }


@dataclass
class FactorTable:
    """Factor values per adoption (``.summary``, index = adoption_id) and missing counts."""

    summary: pd.DataFrame
    factors: list[Factor]
    n_missing: dict[str, int]
    warnings: list[Message] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.summary)


def normalize_grade(value: object) -> str | None:
    """``'Ｓ'`` -> ``'S'``; ``'-'``/empty/unknown letters -> None (not a grade)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    return text if text in GRADE_ORDER else None


def split_names(value: object) -> list[str]:
    """Split a list cell as written on a page (``北海道、札幌市``) into names."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return [p for p in _SPLIT.split(text) if p and p not in {"-", "—"}]


def _participation_base(data: AnalysisData) -> pd.DataFrame:
    """One row per adoption with org counts per kind (NaN rows = no participation data)."""
    p = data.participations.drop_duplicates(["adoption_id", "organization_id"])
    counts = pd.crosstab(p["adoption_id"], p["kind"]) if len(p) else pd.DataFrame()
    base = pd.DataFrame(index=pd.Index(data.adoptions["adoption_id"], name="adoption_id"))
    return base.join(counts.astype("float64"), how="left")


def _core_kind(data: AnalysisData) -> pd.Series:
    p = data.participations[data.participations["role"] == "core"]
    first = p.drop_duplicates("adoption_id").set_index("adoption_id")["kind"]
    return first.reindex(data.adoptions["adoption_id"])


def _duration(ad: pd.DataFrame) -> pd.Series:
    d = ad["end_fy"].astype("float64") - ad["start_fy"].astype("float64") + 1
    return d.where(d > 0)


def _prior_adoptions(data: AnalysisData) -> pd.Series:
    """Earlier adoptions of the same hub (by start FY) plus linked predecessors elsewhere."""
    ad = data.adoptions.set_index("adoption_id")
    start = ad["start_fy"].astype("float64")
    hub = ad["hub_id"]
    same_hub = (start[hub.notna()].groupby(hub[hub.notna()]).rank(method="min") - 1.0).reindex(ad.index)
    extra = pd.Series(0.0, index=ad.index)
    has_link = pd.Series(False, index=ad.index)
    seen: set[tuple[str, str]] = set()
    for f, t in zip(data.links["from_adoption_id"], data.links["to_adoption_id"], strict=True):
        if f == t or t not in extra.index or f not in extra.index or (f, t) in seen:
            continue
        seen.add((f, t))
        has_link[t] = True
        counted = (
            pd.notna(hub[f])
            and pd.notna(hub[t])
            and hub[f] == hub[t]
            and pd.notna(start[f])
            and pd.notna(start[t])
            and start[f] < start[t]
        )
        if not counted:
            extra[t] += 1.0
    out = same_hub.fillna(0.0).where(hub.notna(), np.nan) + extra
    out = out.where(hub.notna(), extra.where(has_link))
    return out.where(start.notna())


def final_evaluation_fy(ad: pd.DataFrame) -> pd.Series:
    """FY of the ex-post evaluation: stored where a source gives it, else end FY + 1."""
    stored = pd.to_numeric(ad.get("final_evaluation_fy"), errors="coerce") if "final_evaluation_fy" in ad else None
    assumed = ad["end_fy"].astype("float64") + 1
    return assumed if stored is None else stored.astype("float64").where(stored.notna(), assumed)


def interim_evaluation_fy(ad: pd.DataFrame) -> pd.Series:
    """FY of the interim evaluation: the programme's midpoint (floor), the usual 3rd of 5 years."""
    s, e = ad["start_fy"].astype("float64"), ad["end_fy"].astype("float64")
    return np.floor(s + (e - s) / 2)


def known_at_fy(data: AnalysisData) -> pd.DataFrame:
    """Per adoption (index adoption_id), the FY at which each timing is known: ``start``
    (the design: partners, budget, duration, earlier adoptions), ``interim``, ``final_evaluation``."""
    ad = data.adoptions.set_index("adoption_id")
    return pd.DataFrame(
        {
            "start": ad["start_fy"].astype("float64"),
            "interim": interim_evaluation_fy(ad),
            "final_evaluation": final_evaluation_fy(ad),
        },
        index=ad.index,
    )


def _recorded_complete(data: AnalysisData) -> pd.Series:
    ad = data.adoptions.set_index("adoption_id")
    col = ad["participants_recorded"] if "participants_recorded" in ad else pd.Series(None, index=ad.index)
    return col.map(lambda v: isinstance(v, str) and v.strip().lower() == "complete").astype(bool)


def participant_knowledge(data: AnalysisData) -> pd.Series:
    """Per adoption: ``complete`` / ``partial`` / ``none`` — how much of its partnership is recorded."""
    counts = _participation_base(data)
    listed = counts.notna().any(axis=1)
    complete = _recorded_complete(data).reindex(counts.index).fillna(False)
    out = pd.Series("none", index=counts.index, dtype="object")
    out[listed] = "partial"
    out[complete] = "complete"
    return out


def _build_frame(data: AnalysisData, cutoff_fy: int | None = None, unknown_as_absent: bool = False) -> pd.DataFrame:
    """Every registered factor as a column (index = adoption_id), as of ``cutoff_fy``."""
    ad = data.adoptions.set_index("adoption_id")
    cutoff = data.cutoff_fy if cutoff_fy is None else int(cutoff_fy)
    counts = _participation_base(data)
    listed = counts.notna().any(axis=1)
    complete = _recorded_complete(data).reindex(counts.index).fillna(False) & listed
    # where a 0 means "absent": complete lists (or every list, in the unknown-as-absent run)
    absent_known = listed if unknown_as_absent else complete
    kinds = counts.fillna(0.0)

    def kind_count(kind: str) -> pd.Series:
        col = kinds[kind] if kind in kinds.columns else pd.Series(0.0, index=kinds.index)
        return col.where(listed)

    def has(kind: str) -> pd.Series:
        present = kind_count(kind).fillna(0.0) > 0
        return pd.Series(np.where(present, 1.0, np.where(absent_known, 0.0, np.nan)), index=kinds.index)

    total = kinds.sum(axis=1)
    shares = kinds.div(total.where(total > 0), axis=0)
    out = pd.DataFrame(index=ad.index)

    # as of the latest FY in the data every recorded grade has been given; before it, a grade is
    # seen only when its evaluation FY is no later than the cut-off
    now = cutoff >= default_cutoff_fy(data.adoptions, data.events)
    final = ad["final_grade"].map(normalize_grade)
    interim = ad["interim_grade"].map(normalize_grade)
    if not now:
        final = final.where(final_evaluation_fy(ad) <= cutoff)
        interim = interim.where(interim_evaluation_fy(ad).fillna(-1) <= cutoff)
    out["final_grade_S"] = (final == "S").astype("float64").where(final.notna())
    out["final_grade_ordinal"] = final.map(GRADE_ORDER).astype("float64")
    out["interim_grade_S"] = (interim == "S").astype("float64").where(interim.notna())
    out["interim_grade_ordinal"] = interim.map(GRADE_ORDER).astype("float64")

    out["n_org_kinds"] = (kinds > 0).sum(axis=1).astype("float64").where(absent_known)
    out["blau_index"] = (1.0 - (shares**2).sum(axis=1)).where(absent_known & (total > 0))
    logs = np.log(shares.where(shares > 0))
    out["shannon_index"] = (-(shares * logs).sum(axis=1)).where(absent_known & (total > 0))

    for kind in ("local_government", "company", "foundation", "public_research_institute", "financial_institution"):
        out[f"has_{kind}"] = has(kind)
    # a recorded company count says it too: > 0 companies = a company takes part, 0 = none does
    n_comp = ad["n_companies"].astype("float64")
    out.loc[n_comp > 0, "has_company"] = 1.0
    out.loc[(n_comp == 0) & (out["has_company"] != 1), "has_company"] = 0.0
    h2 = pd.DataFrame({k: out[f"has_{k}"] for k in H2_KINDS})
    n_present = (h2 == 1).sum(axis=1).astype("float64")
    n_unknown = h2.isna().sum(axis=1)
    out["n_h2_partner_kinds"] = n_present.where(n_unknown == 0)
    has_univ = has("university")
    broad = pd.Series(np.nan, index=ad.index)
    broad[(has_univ == 1) & (n_present >= 3)] = 1.0
    # 0 only when it is established: no university, or too few kinds even if every unknown were present
    broad[(has_univ == 0) | ((n_present + n_unknown) < 3)] = 0.0
    out["broad_partnership"] = broad

    pref = ad["prefectures"].map(split_names)
    muni = ad["municipalities"].map(split_names)
    n_lg = (pref.map(len) + muni.map(len)).astype("float64")
    out["n_local_gov_applicants"] = n_lg.where(n_lg > 0)

    core = _core_kind(data)
    core.index = ad.index
    for kind in ("university", "foundation", "local_government"):
        out[f"core_is_{kind}"] = (core == kind).astype("float64").where(core.notna())

    duration = _duration(ad)
    out["duration_years"] = duration
    out["budget_per_year_oku_yen"] = ad["budget_total_million_yen"].astype("float64") / (duration * 100.0)
    n_univ_text = ad["universities"].map(split_names).map(len).astype("float64")
    n_univ_rows = kind_count("university")
    # a partial list or the page's list gives at least that many; only a complete list gives the count
    lower = np.fmax(n_univ_rows.to_numpy(dtype="float64"), n_univ_text.to_numpy(dtype="float64"))
    lower_s = pd.Series(lower, index=ad.index)
    out["n_universities"] = n_univ_rows.where(absent_known, lower_s.where(lower_s > 0))
    out["n_companies"] = n_comp
    out["prior_adoptions"] = _prior_adoptions(data)
    return out


def _f(name: str, rule: str, kind: str = "binary", unit: str = "") -> Factor:
    known_at = "final_evaluation" if name.startswith("final_grade") else "start"
    if name.startswith("interim_grade"):
        known_at = "interim"
    return Factor(name=name, rule=rule, kind=kind, unit=unit, known_at=known_at)


FACTORS: dict[str, Factor] = {
    f.name: f
    for f in [
        _f(
            "final_grade_S",
            "1 if final grade is S, 0 if another letter grade (A/B/C/D); '-' or empty = missing",
        ),
        _f(
            "final_grade_ordinal",
            "S=4, A=3, B=2, C=1, D=0; '-' or empty = missing",
            "continuous",
            "grade step",
        ),
        _f(
            "interim_grade_S",
            "1 if interim grade is S, 0 if another letter grade; '-' or empty = missing",
        ),
        _f(
            "interim_grade_ordinal",
            "S=4, A=3, B=2, C=1, D=0; '-' or empty = missing",
            "continuous",
            "grade step",
        ),
        _f(
            "n_org_kinds",
            (
                "distinct organization kinds among participations; 0 or counts only on a complete "
                "participant list, else missing"
            ),
            "continuous",
            "kind",
        ),
        _f(
            "blau_index",
            "1 − Σ p_k², p_k = share of organizations of kind k; 0 only on a complete participant list, else missing",
            "continuous",
            "index unit (0–1)",
        ),
        _f(
            "shannon_index",
            "−Σ p_k ln p_k over organization kinds; 0 only on a complete participant list, else missing",
            "continuous",
            "nat",
        ),
        _f(
            "has_local_government",
            (
                "1 if any participating organization is a local government; 0 only on a complete "
                "participant list, else missing"
            ),
        ),
        _f(
            "has_company",
            "1 if any participating organization is a company; 0 only on a complete participant list, else missing",
        ),
        _f(
            "has_foundation",
            "1 if any participating organization is a foundation; 0 only on a complete participant list, else missing",
        ),
        _f(
            "has_public_research_institute",
            (
                "1 if any participating organization is a public research institute; 0 only on a complete "
                "participant list, else missing"
            ),
        ),
        _f(
            "has_financial_institution",
            "1 if any participating organization is a bank/VC; 0 only on a complete participant list, else missing",
        ),
        _f(
            "n_h2_partner_kinds",
            "how many of {local government, company, foundation, public research institute} "
            "take part (0–4); 0 only on a complete participant list, else missing",
            "continuous",
            "kind",
        ),
        _f(
            "broad_partnership",
            "1 if a university and at least 3 of {local government, company, foundation, "
            "public research institute} take part; 0 only on a complete participant list, else missing",
        ),
        _f(
            "n_local_gov_applicants",
            "number of prefectures + municipalities listed as applicants; none listed = missing",
            "continuous",
            "government",
        ),
        _f(
            "core_is_university",
            "kind of the organization with role 'core'; no core recorded = missing",
        ),
        _f(
            "core_is_foundation",
            "kind of the organization with role 'core'; no core recorded = missing",
        ),
        _f(
            "core_is_local_government",
            "kind of the organization with role 'core'; no core recorded = missing",
        ),
        _f(
            "budget_per_year_oku_yen",
            "total budget (million yen) / duration / 100; either missing = missing",
            "continuous",
            "100 million yen per year",
        ),
        _f(
            "duration_years",
            "end FY − start FY + 1; either missing = missing",
            "continuous",
            "year",
        ),
        _f(
            "n_universities",
            "universities among participations on a complete list; otherwise at least the universities "
            "listed (participations or the page); neither = missing",
            "continuous",
            "university",
        ),
        _f(
            "n_companies",
            "n_companies as recorded; empty = missing",
            "continuous",
            "company",
        ),
        _f(
            "prior_adoptions",
            "earlier adoptions with the same hub (by start FY) or linked predecessors; "
            "no hub and no link, or no start FY = missing",
            "continuous",
            "adoption",
        ),
    ]
}


def family_factor(family: str) -> Factor:
    """Indicator factor for one program family (levels are data-driven)."""
    return Factor(name=f"{FAMILY_PREFIX}{family}", rule=f"1 if the adoption's program family is {family}, else 0")


def get_factor(name: str) -> Factor:
    if name in FACTORS:
        return FACTORS[name]
    if name.startswith(FAMILY_PREFIX):
        return family_factor(name.split("=", 1)[1])
    raise UnknownFactorError(name)


def compute_factors(
    data: AnalysisData,
    names: list[str] | None = None,
    cutoff_fy: int | None = None,
    unknown_as_absent: bool = False,
) -> FactorTable:
    """All (or the named) factors per adoption as of ``cutoff_fy``, with missing counts per factor.

    Program-family indicators are added for every family with at least one adoption when
    the data holds two or more families (the analysis uses family as a stratum, not as a
    factor; the indicators stay available for description).
    """
    frame = _build_frame(data, cutoff_fy, unknown_as_absent)
    factors = [FACTORS[n] for n in FACTORS]
    families = data.adoptions["program_family"].dropna().unique().tolist()
    if len(families) >= 2:
        fam = data.adoptions.set_index("adoption_id")["program_family"]
        for level in sorted(families):
            f = family_factor(level)
            frame[f.name] = (fam == level).astype("float64").where(fam.notna())
            factors.append(f)
    if names is not None:
        factors = [get_factor(n) for n in names]
        frame = frame[[f.name for f in factors]]
    n_missing = {f.name: int(frame[f.name].isna().sum()) for f in factors}
    warnings: list[Message] = []
    if len(frame) and data.participations.empty:
        warnings.append(msg("factors.no_participations"))
    return FactorTable(summary=frame, factors=factors, n_missing=n_missing, warnings=warnings)
