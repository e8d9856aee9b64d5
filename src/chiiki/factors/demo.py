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
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chiiki.factors.data import AnalysisData, make_analysis_data
from chiiki.factors.errors import DemoDatabaseError, UnknownFactorError
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


def generate_demo(seed: int, n: int = 300, effects: dict[str, tuple[str, float]] | None = None) -> AnalysisData:
    """A synthetic registry of ``n`` adoptions with ``effects`` = {factor: (outcome, OR)}.

    Default: ``final_grade_S`` has odds ratio 5 on ``successor`` and ``broad_partnership``
    odds ratio 3 on ``regional``; every other factor (e.g. ``has_financial_institution``)
    has no planted effect.
    """
    effects = DEFAULT_EFFECTS if effects is None else effects
    for name, (outcome, _) in effects.items():
        if name not in PLANTABLE:
            raise UnknownFactorError(msg("factors.cannot_plant", "error", name=name, choices=", ".join(PLANTABLE)))
        if outcome not in BASE_RATE:
            raise UnknownFactorError(msg("factors.unknown_outcome", "error", name=outcome))
    rng = np.random.default_rng(seed)
    pools = _organizations()
    adoptions: list[dict] = []
    parts: list[tuple] = []
    links: list[tuple] = []
    events: list[tuple] = []
    hub = 0
    while len(adoptions) < n:
        hub += 1
        start = int(rng.integers(2002, 2011))
        pref = PREFIX + _ja("prefecture", i=int(rng.integers(1, 48)))
        while True:
            aid = f"DEMO-{seed}-{len(adoptions) + 1:05d}"
            dur = int(rng.integers(3, 6))
            end = start + dur - 1
            final, interim = _grade(rng), _grade(rng)
            present = {k: bool(rng.random() < p) for k, p in KIND_PROB.items()}
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
            if rng.random() >= 0.05:
                for kind, orgs in chosen.items():
                    for oid, name in orgs:
                        parts.append((aid, oid, name, kind, "participating"))
                parts.append((aid, core[0], core[1], core_kind, "core"))
            logits = {o: math.log(r / (1 - r)) for o, r in BASE_RATE.items()}
            for name, (outcome, odds_ratio) in effects.items():
                logits[outcome] += math.log(odds_ratio) * latent[name]
            successor = rng.random() < _expit(logits["successor"])
            regional = rng.random() < _expit(logits["regional"])
            budget = None if rng.random() < 0.10 else float(round(dur * rng.uniform(50, 500)))
            adoptions.append(
                {
                    "adoption_id": aid,
                    "program_id": str(rng.choice(FAMILIES)),
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
            )
            if regional:
                events.append((aid, "regional_budget", end + int(rng.integers(1, 4))))
            if not successor:
                break
            gap = int(rng.integers(1, 4))
            if len(adoptions) < n and end + gap <= LAST_CHAIN_START:
                links.append((aid, f"DEMO-{seed}-{len(adoptions) + 1:05d}", "rule"))
                start = end + gap
                continue
            events.append((aid, "successor_adoption", end + gap))
            break
    ad = pd.DataFrame(adoptions)
    ad["program_family"] = ad["program_id"]
    return make_analysis_data(
        ad,
        pd.DataFrame(parts, columns=["adoption_id", "organization_id", "organization_name", "kind", "role"]),
        pd.DataFrame(links, columns=["from_adoption_id", "to_adoption_id", "basis"]),
        pd.DataFrame(events, columns=["adoption_id", "kind", "fy"]),
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


def planted_effects(effects: dict[str, tuple[str, float]] | None = None) -> list[Message]:
    """One ``factors.planted_effect`` message per planted effect (default: :data:`DEFAULT_EFFECTS`)."""
    from chiiki.factors.labels import factor_label, outcome_label

    return [
        msg(
            "factors.planted_effect",
            "info",
            factor=factor_label(name).to_dict(),
            outcome=outcome_label(outcome).to_dict(),
            odds_ratio=f"{odds_ratio:g}",
        )
        for name, (outcome, odds_ratio) in (DEFAULT_EFFECTS if effects is None else effects).items()
    ]


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
