"""Seeded synthetic registry with planted effects (合成データ), and writing it to a database.

Why: the bundled real registry has 5 final grades, so most tests are "not testable" there.
The demo shows that the engine finds effects of a stated size when the data are rich
enough, and that it does not find effects that are not there. Every name is marked
synthetic: program ids ``DEMO_*``, names prefixed ``【合成データ】`` / ``SYNTHETIC``.

Generation (per hub, until ``n`` adoptions exist): a first adoption starts in FY2002–2010;
3–5 years long; grades S/A/B/C (10 % missing); organizations of each kind take part with
fixed probabilities (5 % of adoptions have no participation rows: composition unknown);
then ``successor`` and ``regional`` are drawn from logistic models whose log-odds add
``ln(OR)`` for each planted factor. A drawn successor becomes the hub's next adoption
(linked, starting 1–3 FY after the end) when there is room (start ≤ FY2014, fewer than ``n``
adoptions), otherwise a ``successor_adoption`` event; regional continuation is a
``regional_budget`` event 1–3 FY after the end.

A hub's next adoption is always in another program than its previous one (a successor, not a
designed next stage of the same scheme, which the engine counts apart).

Features that make the data *able to fail the engine* (all off by default, and then drawing
nothing; :func:`generate_confounded_demo` turns all four
on: hub sd 1, 20 % partial lists). Each one breaks one naive reading, and the planted truth says
what a correct analysis must recover:

- ``confounding=True`` — **planted confounding by program family.** The family is drawn first
  (uniform; a linked next adoption is always in *another* family, so a drawn successor is a
  ``successor`` and never a ``next_stage``). The family sets both the prevalence of
  :data:`CONFOUNDED_FACTOR` (``has_foundation``: 0.9 in ``DEMO_A``, 0.1 elsewhere —
  :data:`CONFOUNDER_PREVALENCE`) and the baseline successor rate (0.75 in ``DEMO_A``, 0.10
  elsewhere — :data:`FAMILY_SUCCESSOR_RATE`). Within a family the foundation has **no effect**
  on the successor (true conditional OR 1), so the crude OR is far above 1 (median about 6 over
  seeds at n = 300 with the other features on) while an estimate stratified by family covers 1.
  The planted ``final_grade_S`` → successor OR 5 stays (it is independent of the family).
- ``hub_clustering=sd`` — **clustering by hub.** A hub-level random intercept ``N(0, sd²)`` on
  the log-odds of both outcomes, shared by every adoption of the hub, and more adoptions per hub
  (first adoptions start in FY2002–2006, leaving room for longer chains). Outcomes of one hub
  are then correlated; the planted ORs are conditional on the hub, so an estimate that averages
  over hubs (Mantel–Haenszel by family) sees them attenuated (OR 5 reads about 4 with sd = 1).
- ``open_windows=True`` — **windows still open at the cut-off.** A share
  (:data:`OPEN_WINDOW_SHARE`) of hubs start late, so that their one adoption ends in the last
  five FY up to :data:`OPEN_CUTOFF_FY` (the first such hub ends in it, so the data's cut-off is
  that FY). Nothing after the cut-off is recorded, so some of them already show a successor or
  regional event and others do not yet; every one must be excluded (``window_open``), not
  coded 1 or 0 by what happened to be seen.
- ``unrecorded_participants=share`` — **participant lists that are not complete.** That share
  of the adoptions with participation rows is marked ``participants_recorded = "partial"`` and
  lists only the core institution and each other participant with probability
  :data:`PARTIAL_LISTED`; the others are ``"complete"`` (and adoptions with no rows at all are
  "not stated", ``None``). Outcomes are drawn from the *true* composition, so reading an unlisted
  kind as absent misclassifies it.

The column ``participants_recorded`` is always filled: ``"complete"`` for every adoption with
participation rows unless ``unrecorded_participants`` marks it ``"partial"``, ``None`` without
rows (the factor rules read a kind as absent only on a complete list).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chiiki.factors.data import AnalysisData, make_analysis_data
from chiiki.factors.errors import DemoDatabaseError, FactorsError, UnknownFactorError
from chiiki.i18n import Message, msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_EFFECTS: dict[str, tuple[str, float]] = {
    "final_grade_S": ("successor", 5.0),
    "broad_partnership": ("regional", 3.0),
}
NULL_FACTOR = "has_financial_institution"
BASE_RATE = {"successor": 0.25, "regional": 0.30}
PLANTABLE = (
    "final_grade_S",
    "interim_grade_S",
    "broad_partnership",
    "has_local_government",
    "has_company",
    "has_foundation",
    "has_public_research_institute",
    "has_financial_institution",
)
FAMILIES = ("DEMO_A", "DEMO_B", "DEMO_C", "DEMO_D")
# The synthetic registry's Japanese names. They are data (what a Japanese registry would hold,
# marked synthetic), not interface text: the one place in chiiki.factors with Japanese literals.
SYNTHETIC_JA = {
    "prefix": "【合成データ】",
    "kinds": {
        "university": "大学",
        "local_government": "自治体",
        "company": "企業",
        "foundation": "財団",
        "public_research_institute": "公設試",
        "financial_institution": "金融機関",
    },
    "prefecture": "県{i:02d}",
    "municipality": "市{hub:04d}",
    "list_separator": "、",
    "program": "デモ事業 {program_id}",
    "hub": "拠点 {hub}",
    "region": "地域 {hub}",
}
PREFIX: str = SYNTHETIC_JA["prefix"]  # type: ignore[assignment]
KIND_JA: dict[str, str] = SYNTHETIC_JA["kinds"]  # type: ignore[assignment]
KIND_PROB = {
    "local_government": 0.6,
    "company": 0.55,
    "foundation": 0.5,
    "public_research_institute": 0.45,
    "financial_institution": 0.2,
}
POOL_SIZE = {
    "university": 40,
    "local_government": 60,
    "company": 120,
    "foundation": 30,
    "public_research_institute": 30,
    "financial_institution": 15,
}
LAST_CHAIN_START = 2014
# -- planted confounding (confounding=True): family drives the factor and the outcome --
CONFOUNDED_FACTOR = "has_foundation"
CONFOUNDED_OUTCOME = "successor"
CONFOUNDER_PREVALENCE = {"DEMO_A": 0.9, "DEMO_B": 0.1, "DEMO_C": 0.1, "DEMO_D": 0.1}
FAMILY_SUCCESSOR_RATE = {"DEMO_A": 0.75, "DEMO_B": 0.10, "DEMO_C": 0.10, "DEMO_D": 0.10}
# -- hub clustering: first adoptions start earlier so that hubs hold longer chains --
CLUSTERED_FIRST_START = (2002, 2006)
MAX_HUB_SD = 5.0  # on log-odds; beyond this every hub is all-or-nothing
# -- open windows: late hubs end within the last five FY up to the cut-off --
OPEN_CUTOFF_FY = 2022
OPEN_WINDOW_SHARE = 0.15
OPEN_WINDOW_YEARS = 5  # the analysis' default window: an end after cut-off − 5 leaves it open
# -- unrecorded participants: on a partial list each non-core participant is listed with this probability --
PARTIAL_LISTED = 0.4
# what generate_confounded_demo turns on besides confounding and open windows
CONFOUNDED_DEMO_HUB_SD = 1.0
CONFOUNDED_DEMO_PARTIAL = 0.2


def _ja(key: str, **params: object) -> str:
    return str(SYNTHETIC_JA[key]).format(**params)


def _organizations() -> dict[str, list[tuple[int, str]]]:
    pools: dict[str, list[tuple[int, str]]] = {}
    oid = 0
    for kind, size in POOL_SIZE.items():
        pools[kind] = []
        for i in range(1, size + 1):
            oid += 1
            pools[kind].append((oid, f"{PREFIX}{KIND_JA[kind]} {i:03d}"))
    return pools


def _grade(rng: np.random.Generator) -> str | None:
    if rng.random() < 0.10:
        return None
    return str(rng.choice(["S", "A", "B", "C"], p=[0.25, 0.35, 0.30, 0.10]))


def _expit(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def generate_demo(
    seed: int,
    n: int = 300,
    effects: dict[str, tuple[str, float]] | None = None,
    *,
    confounding: bool = False,
    hub_clustering: float = 0.0,
    open_windows: bool = False,
    unrecorded_participants: float = 0.0,
) -> AnalysisData:
    """A synthetic registry of ``n`` adoptions with ``effects`` = {factor: (outcome, OR)}.

    Default: ``final_grade_S`` has odds ratio 5 on ``successor`` and ``broad_partnership``
    odds ratio 3 on ``regional``; every other factor (e.g. ``has_financial_institution``)
    has no planted effect. The keyword-only features (module docstring) plant confounding by
    family, hub clustering, open windows and partial participant lists; off, the output is
    the same as without them (the random draws happen in the same order).
    """
    effects = DEFAULT_EFFECTS if effects is None else effects
    for name, (outcome, _) in effects.items():
        if name not in PLANTABLE:
            raise UnknownFactorError(msg("factors.cannot_plant", "error", name=name, choices=", ".join(PLANTABLE)))
        if outcome not in BASE_RATE:
            raise UnknownFactorError(msg("factors.unknown_outcome", "error", name=outcome))
    hub_sd = float(hub_clustering)
    partial_share = float(unrecorded_participants)
    for name, value, high in (("hub_clustering", hub_sd, MAX_HUB_SD), ("unrecorded_participants", partial_share, 1.0)):
        if not 0.0 <= value <= high:
            raise FactorsError(
                msg("factors.demo_bad_parameter", "error", name=name, value=f"{value:g}", high=f"{high:g}")
            )
    rng = np.random.default_rng(seed)
    pools = _organizations()
    adoptions: list[dict] = []
    parts: list[tuple] = []
    links: list[tuple] = []
    events: list[tuple] = []
    hub = 0
    first_late = True
    while len(adoptions) < n:
        hub += 1
        if hub_sd > 0:
            start = int(rng.integers(CLUSTERED_FIRST_START[0], CLUSTERED_FIRST_START[1] + 1))
        else:
            start = int(rng.integers(2002, 2011))
        pref = PREFIX + _ja("prefecture", i=int(rng.integers(1, 48)))
        hub_effect = float(rng.normal(0.0, hub_sd)) if hub_sd > 0 else 0.0
        late_end: int | None = None
        if open_windows and rng.random() < OPEN_WINDOW_SHARE:
            # the first late hub ends in the cut-off FY itself, so the data's cut-off is that FY
            late_end = OPEN_CUTOFF_FY if first_late else OPEN_CUTOFF_FY - int(rng.integers(0, OPEN_WINDOW_YEARS))
            first_late = False
        family: str | None = str(rng.choice(FAMILIES)) if confounding else None
        previous: str | None = None  # the program of the hub's previous adoption
        while True:
            aid = f"DEMO-{seed}-{len(adoptions) + 1:05d}"
            dur = int(rng.integers(3, 6))
            if late_end is not None:
                start = late_end - dur + 1
            end = start + dur - 1
            final, interim = _grade(rng), _grade(rng)
            prob = dict(KIND_PROB)
            if family is not None:
                prob[CONFOUNDED_FACTOR.removeprefix("has_")] = CONFOUNDER_PREVALENCE[family]
            present = {k: bool(rng.random() < p) for k, p in prob.items()}
            n_univ = int(rng.integers(1, 4))
            chosen: dict[str, list[tuple[int, str]]] = {
                "university": [
                    pools["university"][i] for i in rng.choice(POOL_SIZE["university"], n_univ, replace=False)
                ]
            }
            for kind, yes in present.items():
                if yes:
                    k = int(rng.integers(1, 3)) if kind == "company" else 1
                    chosen[kind] = [pools[kind][i] for i in rng.choice(POOL_SIZE[kind], k, replace=False)]
            n_h2 = sum(present[k] for k in ("local_government", "company", "foundation", "public_research_institute"))
            latent = {
                "final_grade_S": float(final == "S"),
                "interim_grade_S": float(interim == "S"),
                "broad_partnership": float(n_h2 >= 3),
                **{f"has_{k}": float(v) for k, v in present.items()},
            }
            core_kind = "foundation" if present["foundation"] and rng.random() < 0.5 else "university"
            core = chosen[core_kind][0]
            recorded: str | None = None
            if rng.random() >= 0.05:
                partial = partial_share > 0 and rng.random() < partial_share
                recorded = "partial" if partial else "complete"
                for kind, orgs in chosen.items():
                    for oid, name in orgs:
                        # a partial list: the core is always named, every other participant may be missing
                        if partial and oid != core[0] and rng.random() >= PARTIAL_LISTED:
                            continue
                        parts.append((aid, oid, name, kind, "participating"))
                parts.append((aid, core[0], core[1], core_kind, "core"))
            logits = {o: math.log(r / (1 - r)) for o, r in BASE_RATE.items()}
            if family is not None:
                rate = FAMILY_SUCCESSOR_RATE[family]
                logits[CONFOUNDED_OUTCOME] = math.log(rate / (1 - rate))
            for o in logits:
                logits[o] += hub_effect
            for name, (outcome, odds_ratio) in effects.items():
                logits[outcome] += math.log(odds_ratio) * latent[name]
            successor = rng.random() < _expit(logits["successor"])
            regional = rng.random() < _expit(logits["regional"])
            budget = None if rng.random() < 0.10 else float(round(dur * rng.uniform(50, 500)))
            row = {
                "adoption_id": aid,
                # a chained adoption is in another program: a successor, never a next stage
                "program_id": family if family is not None else str(rng.choice([f for f in FAMILIES if f != previous])),
                "hub_id": hub,
                "start_fy": start,
                "end_fy": end,
                "budget_total_million_yen": budget,
                "interim_grade": interim,
                "final_grade": final,
                "n_companies": None if rng.random() < 0.2 else len(chosen.get("company", [])),
                "n_institutions": sum(len(v) for v in chosen.values()),
                "core_institution": core[1],
                "prefectures": pref,
                "municipalities": PREFIX + _ja("municipality", hub=hub) if rng.random() < 0.5 else None,
                "universities": _ja("list_separator").join(name for _, name in chosen["university"]),
            }
            # the generated lists are complete by construction (unless ``unrecorded_participants``
            # drops some): say so, since the factor rules read a kind as absent only on a complete list
            row["participants_recorded"] = recorded
            adoptions.append(row)
            previous = str(row["program_id"])
            if regional:
                events.append((aid, "regional_budget", end + int(rng.integers(1, 4))))
            if not successor:
                break
            gap = int(rng.integers(1, 4))
            if len(adoptions) < n and end + gap <= LAST_CHAIN_START:
                links.append((aid, f"DEMO-{seed}-{len(adoptions) + 1:05d}", "rule"))
                start = end + gap
                if family is not None:
                    # the next adoption is in another program: a successor, never a next stage
                    family = str(rng.choice([f for f in FAMILIES if f != family]))
                continue
            events.append((aid, "successor_adoption", end + gap))
            break
    if open_windows:
        # as of the cut-off: what happens later is not recorded yet
        events = [e for e in events if e[2] <= OPEN_CUTOFF_FY]
    ad = pd.DataFrame(adoptions)
    ad["program_family"] = ad["program_id"]
    return make_analysis_data(
        ad,
        pd.DataFrame(parts, columns=["adoption_id", "organization_id", "organization_name", "kind", "role"]),
        pd.DataFrame(links, columns=["from_adoption_id", "to_adoption_id", "basis"]),
        pd.DataFrame(events, columns=["adoption_id", "kind", "fy"]),
    )


def generate_confounded_demo(seed: int, n: int = 300) -> AnalysisData:
    """The demo with all four failure features on (family confounding of :data:`CONFOUNDED_FACTOR`,
    hub random intercept sd :data:`CONFOUNDED_DEMO_HUB_SD`, open windows, a share
    :data:`CONFOUNDED_DEMO_PARTIAL` of partial lists) and the default planted effects.

    What a correct analysis must find: the crude OR of ``has_foundation`` on ``successor`` far
    above 1, the one adjusted for family about 1 (``planted_effects(confounding=True)`` says so);
    ``final_grade_S`` → successor OR 5 (about 4 when averaged over hubs, as a Mantel–Haenszel
    estimate by family does); ``broad_partnership`` → regional OR 3. Binary outcomes of the late
    hubs are not known at the cut-off (FY :data:`OPEN_CUTOFF_FY`).
    """
    return generate_demo(
        seed,
        n,
        confounding=True,
        hub_clustering=CONFOUNDED_DEMO_HUB_SD,
        open_windows=True,
        unrecorded_participants=CONFOUNDED_DEMO_PARTIAL,
    )


def _none(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def check_demo_target(session: Session) -> None:
    """Refuse databases that already hold adoptions (real ones, or an earlier demo)."""
    from sqlalchemy import func, select

    from chiiki.model.registry import Adoption

    non_demo = session.scalar(
        select(func.count()).select_from(Adoption).where(~Adoption.program_id.like("DEMO\\_%", escape="\\"))
    )
    if non_demo:
        raise DemoDatabaseError(msg("factors.demo_not_empty", "error", n=int(non_demo)))
    demo = session.scalar(select(func.count()).select_from(Adoption))
    if demo:
        raise DemoDatabaseError(msg("factors.demo_exists", "error", n=int(demo)))


def planted_effects(effects: dict[str, tuple[str, float]] | None = None, *, confounding: bool = False) -> list[Message]:
    """One ``factors.planted_effect`` message per planted effect (default: :data:`DEFAULT_EFFECTS`);
    with ``confounding``, also ``factors.planted_null_within_family`` for :data:`CONFOUNDED_FACTOR`
    (unless ``effects`` plants an effect on it, which then holds within every family)."""
    from chiiki.factors.labels import factor_label, outcome_label

    effects = DEFAULT_EFFECTS if effects is None else effects
    out = [
        msg(
            "factors.planted_effect",
            "info",
            factor=factor_label(name).to_dict(),
            outcome=outcome_label(outcome).to_dict(),
            odds_ratio=f"{odds_ratio:g}",
        )
        for name, (outcome, odds_ratio) in effects.items()
    ]
    if confounding and CONFOUNDED_FACTOR not in effects:
        out.append(
            msg(
                "factors.planted_null_within_family",
                "info",
                factor=factor_label(CONFOUNDED_FACTOR).to_dict(),
                outcome=outcome_label(CONFOUNDED_OUTCOME).to_dict(),
            )
        )
    return out


def write_demo_database(data: AnalysisData, url: str) -> dict[str, int]:
    """Create the schema at ``url`` (stamped with the Alembic head, so every command opens it)
    and write ``data`` in one transaction; return row counts."""
    from chiiki.model.db import get_engine, session_scope
    from chiiki.model.migrate import ensure_schema

    ensure_schema(get_engine(url))
    with session_scope(url) as s:
        return write_demo(s, data)


def _advance_sequences(s: Session, models: list[type]) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the id sequence behind; move it past
    them so rows added later (a lineage rebuild's hubs, an import's organizations) get new ids."""
    if s.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for model in models:
        table = model.__table__.name  # type: ignore[attr-defined]
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def write_demo(s: Session, data: AnalysisData) -> dict[str, int]:
    """Write ``data`` through the model into the (current) schema of ``s``; return row counts.

    Refuses a database that already holds adoptions (:func:`check_demo_target`).
    """
    from sqlalchemy import insert

    from chiiki.model.registry import (
        Adoption,
        Hub,
        LineageLink,
        Organization,
        Participation,
        PostProgramEvent,
        Program,
    )

    ad, pa = data.adoptions, data.participations
    check_demo_target(s)
    programs = ad[["program_id", "program_family"]].drop_duplicates("program_id")
    s.execute(
        insert(Program),
        [
            {
                "id": r.program_id,
                "name_ja": PREFIX + _ja("program", program_id=r.program_id),
                "name_en": f"SYNTHETIC demo program {r.program_id}",
                "agency": "SYNTHETIC",
                "family": r.program_family,
            }
            for r in programs.itertuples()
        ],
    )
    hubs = sorted({int(h) for h in ad["hub_id"].dropna()})
    if hubs:
        s.execute(insert(Hub), [{"id": h, "key": f"DEMO_HUB_{h}", "name": PREFIX + _ja("hub", hub=h)} for h in hubs])
    orgs = pa.drop_duplicates("organization_id")
    if len(orgs):
        s.execute(
            insert(Organization),
            [
                {
                    "id": int(r.organization_id),
                    "key": f"demo:{int(r.organization_id)}",
                    "name": r.organization_name,
                    "kind": r.kind,
                }
                for r in orgs.itertuples()
            ],
        )
    cols = [
        "program_id",
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
    # the model column comes with migration 20261202_01; write it only where both sides have it
    if hasattr(Adoption, "participants_recorded") and "participants_recorded" in ad.columns:
        cols.append("participants_recorded")
    s.execute(
        insert(Adoption),
        [
            {
                "id": r["adoption_id"],
                "hub_id": _none(r["hub_id"]),
                "region_name": PREFIX + _ja("region", hub=_none(r["hub_id"])),
                "title": f"{PREFIX}SYNTHETIC {r['adoption_id']}",
                "notes": "SYNTHETIC",
                **{c: _none(r[c]) for c in cols},
            }
            for r in ad.to_dict("records")
        ],
    )
    if len(pa):
        s.execute(
            insert(Participation),
            [
                {"adoption_id": r.adoption_id, "organization_id": int(r.organization_id), "role": r.role}
                for r in pa.itertuples()
            ],
        )
    if len(data.links):
        s.execute(
            insert(LineageLink),
            [
                {
                    "from_adoption_id": r.from_adoption_id,
                    "to_adoption_id": r.to_adoption_id,
                    "basis": r.basis,
                    "rule": "synthetic: consecutive adoptions of one demo hub",
                    "stated": False,
                }
                for r in data.links.itertuples()
            ],
        )
    if len(data.events):
        s.execute(
            insert(PostProgramEvent),
            [
                {
                    "adoption_id": r.adoption_id,
                    "kind": r.kind,
                    "fy": _none(r.fy),
                    "description": f"{PREFIX}{r.kind} FY{_none(r.fy)}",
                }
                for r in data.events.itertuples()
            ],
        )
    _advance_sequences(s, [Hub, Organization])
    return {
        "adoptions": len(ad),
        "participations": len(pa),
        "links": len(data.links),
        "events": len(data.events),
        "organizations": len(orgs),
        "hubs": len(hubs),
    }
