"""Questions people ask the registry: what is in it, what happened to a region, how policy moved."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from chiiki.ingest.normalize import nfkc, split_list, strip_parenthetical, text_key
from chiiki.model.registry import Adoption, Hub, LineageLink, PostProgramEvent, Program
from chiiki.registry.families import family_label, family_order

ADOPTION_LIST_COLUMNS = (
    "adoption_id",
    "program_id",
    "region_name",
    "prefectures",
    "start_fy",
    "end_fy",
    "interim_grade",
    "final_grade",
    "hub",
    "successors",
)


@dataclass
class RegistrySummary:
    n_adoptions: int
    n_programs: int
    n_hubs: int
    n_multi_hubs: int
    n_links: dict[str, int]
    per_program: list[dict]
    per_prefecture: list[tuple[str, int]]
    grade_coverage: dict[str, int]
    n_sources: int


def summary(session: Session) -> RegistrySummary:
    from chiiki.model.sources import Source

    programs = {p.id: p for p in session.scalars(select(Program))}
    adoptions = list(session.scalars(select(Adoption)))
    per_prog: dict[str, Counter] = defaultdict(Counter)
    prefs: Counter = Counter()
    for a in adoptions:
        c = per_prog[a.program_id]
        c["n"] += 1
        c["start"] += a.start_fy is not None
        c["end"] += a.end_fy is not None
        c["interim"] += a.interim_grade not in (None, "-")
        c["final"] += a.final_grade not in (None, "-")
        c["final_dash"] += a.final_grade == "-"
        for p in split_list(a.prefectures) or ["不明"]:
            prefs[strip_parenthetical(p)] += 1
    rows = []
    for pid, p in sorted(programs.items(), key=lambda kv: (family_order(kv[1].family or ""), kv[0])):
        c = per_prog.get(pid, Counter())
        rows.append(
            {
                "program_id": pid,
                "name": p.name_ja,
                "family": p.family,
                "adoptions": c["n"],
                "with_start_fy": c["start"],
                "with_end_fy": c["end"],
                "with_interim_grade": c["interim"],
                "with_final_grade": c["final"],
                "final_dash": c["final_dash"],
            }
        )
    hubs = list(session.scalars(select(Hub).options(selectinload(Hub.adoptions))))
    links = Counter(b for (b,) in session.execute(select(LineageLink.basis)))
    return RegistrySummary(
        n_adoptions=len(adoptions),
        n_programs=len(programs),
        n_hubs=len(hubs),
        n_multi_hubs=sum(len(h.adoptions) > 1 for h in hubs),
        n_links=dict(links),
        per_program=rows,
        per_prefecture=prefs.most_common(),
        grade_coverage={
            "interim": sum(r["with_interim_grade"] for r in rows),
            "final": sum(r["with_final_grade"] for r in rows),
            "final_dash": sum(r["final_dash"] for r in rows),
        },
        n_sources=len(list(session.scalars(select(Source.id)))),
    )


def successors_of(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for x in session.scalars(select(LineageLink).where(LineageLink.basis != "reject")):
        out[x.from_adoption_id].append(x.to_adoption_id)
    return out


def list_adoptions(
    session: Session,
    program: str | None = None,
    prefecture: str | None = None,
    fy_from: int | None = None,
    fy_to: int | None = None,
    grade: str | None = None,
    has_successor: bool | None = None,
    interim_grade: str | None = None,
) -> list[dict]:
    """Adoptions matching every given filter (FY range on the start year; `grade` is the final grade)."""
    stmt = select(Adoption).options(selectinload(Adoption.hub)).order_by(Adoption.start_fy, Adoption.id)
    if program:
        stmt = stmt.where(or_(Adoption.program_id == program, Adoption.program_id.like(program + "%")))
    if fy_from is not None:
        stmt = stmt.where(Adoption.start_fy >= fy_from)
    if fy_to is not None:
        stmt = stmt.where(Adoption.start_fy <= fy_to)
    if grade:
        stmt = stmt.where(Adoption.final_grade == nfkc(grade).upper())
    if interim_grade:
        stmt = stmt.where(Adoption.interim_grade == nfkc(interim_grade).upper())
    succ = successors_of(session)
    pref_key = text_key(prefecture) if prefecture else None
    out = []
    for a in session.scalars(stmt):
        if pref_key and not any(text_key(p).startswith(pref_key.rstrip("都道府県")) for p in a.prefecture_list):
            continue
        nexts = succ.get(a.id, [])
        if has_successor is not None and bool(nexts) != has_successor:
            continue
        out.append(
            {
                "adoption_id": a.id,
                "program_id": a.program_id,
                "region_name": a.region_name,
                "prefectures": a.prefectures,
                "start_fy": a.start_fy,
                "end_fy": a.end_fy,
                "interim_grade": a.interim_grade,
                "final_grade": a.final_grade,
                "hub": a.hub.key if a.hub else None,
                "successors": "; ".join(sorted(nexts)),
            }
        )
    return out


@dataclass
class HubStep:
    adoption: Adoption
    program_name: str
    link_in: LineageLink | None
    events: list[PostProgramEvent] = field(default_factory=list)


@dataclass
class HubHistory:
    hub: Hub
    steps: list[HubStep]


def find_hubs(session: Session, name: str) -> list[Hub]:
    """Hubs whose name, key, or any adoption's id/area/title contains the query (after NFKC)."""
    q = text_key(name)
    hubs = list(session.scalars(select(Hub).options(selectinload(Hub.adoptions))))
    exact = [h for h in hubs if text_key(h.name) == q or h.key == name]
    if exact:
        return exact
    found = []
    for h in hubs:
        texts = [h.name, h.key] + [t for a in h.adoptions for t in (a.id, a.region_name, a.title) if t]
        if any(q in text_key(t) for t in texts):
            found.append(h)
    return found


def hub_history(session: Session, hub: Hub) -> HubHistory:
    programs = {p.id: p.name_ja for p in session.scalars(select(Program))}
    ids = [a.id for a in hub.adoptions]
    links = {
        x.to_adoption_id: x
        for x in session.scalars(
            select(LineageLink).where(LineageLink.to_adoption_id.in_(ids), LineageLink.basis != "reject")
        )
    }
    steps = []
    for a in sorted(hub.adoptions, key=lambda a: (a.start_fy or 9999, a.id)):
        steps.append(
            HubStep(
                a,
                programs.get(a.program_id, a.program_id),
                links.get(a.id),
                sorted(a.events, key=lambda e: e.fy or 9999),
            )
        )
    return HubHistory(hub, steps)


@dataclass
class FamilyLine:
    family: str
    label: str
    programs: list[str]
    follows: list[str]
    first_fy: int | None
    last_fy: int | None
    per_fy: dict[int, int]
    undated: int


def timeline(session: Session, lang: str = "ja") -> list[FamilyLine]:
    """Program families in policy order, with selections per start FY and who followed whom."""
    programs = list(session.scalars(select(Program)))
    fam_of = {p.id: p.family or p.id for p in programs}
    lines: dict[str, FamilyLine] = {}
    for p in programs:
        fam = fam_of[p.id]
        line = lines.setdefault(fam, FamilyLine(fam, family_label(fam, lang), [], [], None, None, {}, 0))
        line.programs.append(p.id)
        if p.predecessor_id and fam_of.get(p.predecessor_id, fam) != fam:
            pred = fam_of[p.predecessor_id]
            if pred not in line.follows:
                line.follows.append(pred)
        if p.first_fy is not None:
            line.first_fy = p.first_fy if line.first_fy is None else min(line.first_fy, p.first_fy)
    for a in session.scalars(select(Adoption)):
        line = lines[fam_of[a.program_id]]
        if a.start_fy is None:
            line.undated += 1
            continue
        line.per_fy[a.start_fy] = line.per_fy.get(a.start_fy, 0) + 1
        line.first_fy = a.start_fy if line.first_fy is None else min(line.first_fy, a.start_fy)
        last = a.end_fy or a.start_fy
        line.last_fy = last if line.last_fy is None else max(line.last_fy, last)
    return sorted(lines.values(), key=lambda x: (family_order(x.family), x.first_fy or 9999))
