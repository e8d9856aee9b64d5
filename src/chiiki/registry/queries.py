"""Questions people ask the registry: what is in it, what happened to a region, how policy moved.

Every answer is plain data (dataclasses, dicts, :class:`~chiiki.i18n.Message`), made inside the
session: no ORM row leaves these functions, except the hubs :func:`find_hubs` returns for
:func:`hub_history`. Nothing here is in a language: labels are English msgids or messages,
rendered where they are shown.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from chiiki.i18n import N_, Message, msg
from chiiki.ingest.normalize import NAME_SEPARATOR, nfkc, split_list, strip_parenthetical, text_key
from chiiki.ingest.places import prefecture_stem
from chiiki.model.enums import EventKind, LinkBasis, values
from chiiki.model.registry import Adoption, Hub, LineageLink, Program
from chiiki.registry.families import family_msgid, family_order
from chiiki.registry.imports import MANUAL_RULE
from chiiki.serialize import plain

# the columns of the adoption list and their headings (msgids), for every interface that shows it
ADOPTION_LIST_HEADINGS = {
    "adoption_id": N_("adoption id"),
    "program_id": N_("program id"),
    "region_name": N_("area"),
    "prefectures": N_("prefectures"),
    "start_fy": N_("start FY"),
    "end_fy": N_("end FY"),
    "interim_grade": N_("interim evaluation"),
    "final_grade": N_("ex-post evaluation"),
    "hub": N_("hub"),
    "successors": N_("successor adoptions"),
}


@dataclass
class RegistrySummary:
    """What is in the registry. ``per_prefecture`` rows are ``{"prefecture", "adoptions"}``
    (``prefecture`` None for adoptions whose prefecture is not recorded); ``links`` has one row
    per link basis with its label as a message."""

    n_adoptions: int
    n_programs: int
    n_hubs: int
    n_multi_hubs: int
    n_links: dict[str, int]
    per_program: list[dict]
    per_prefecture: list[dict]
    grade_coverage: dict[str, int]
    n_sources: int

    @property
    def links(self) -> list[dict[str, Any]]:
        return [{"basis": basis, "label": basis_label(basis), "n": n} for basis, n in sorted(self.n_links.items())]

    def to_dict(self) -> dict[str, Any]:
        out = {name: plain(getattr(self, name)) for name in self.__dataclass_fields__}
        out["links"] = plain(self.links)
        return out


def basis_label(basis: str) -> Message | None:
    """The label of a link basis (stated, rule, manual, reject) as a message (None for a value
    the model does not know: show it as stored)."""
    return msg(f"registry.basis.{basis}", "info") if basis in _BASES else None


def event_label(kind: str) -> Message | None:
    """The label of a post-program event kind as a message (None for an unknown value)."""
    return msg(f"registry.event.{kind}", "info") if kind in _EVENTS else None


_BASES = values(LinkBasis)
_EVENTS = values(EventKind)


def summary(session: Session) -> RegistrySummary:
    from chiiki.model.sources import Source

    programs = {p.id: p for p in session.scalars(select(Program))}
    adoptions = list(session.scalars(select(Adoption)))
    per_prog: dict[str, Counter] = defaultdict(Counter)
    prefs: Counter[str | None] = Counter()
    for a in adoptions:
        c = per_prog[a.program_id]
        c["n"] += 1
        c["start"] += a.start_fy is not None
        c["end"] += a.end_fy is not None
        c["interim"] += a.interim_grade not in (None, "-")
        c["final"] += a.final_grade not in (None, "-")
        c["final_dash"] += a.final_grade == "-"
        names: list[str | None] = [strip_parenthetical(name) for name in split_list(a.prefectures)]
        for name in names or [None]:
            prefs[name] += 1
    rows: list[dict[str, Any]] = []
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
        per_prefecture=[{"prefecture": p, "adoptions": n} for p, n in prefs.most_common()],
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
        if pref_key and not any(text_key(p).startswith(prefecture_stem(pref_key)) for p in a.prefecture_list):
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


@dataclass(frozen=True)
class AdoptionView:
    """One adoption as a hub history shows it."""

    id: str
    program_id: str
    program_name: str
    region_name: str | None
    title: str | None
    prefectures: str | None
    start_fy: int | None
    end_fy: int | None
    interim_grade: str | None
    final_grade: str | None


@dataclass(frozen=True)
class LinkView:
    """The link that brought an adoption into its hub: ``rule`` is the stored text;
    ``explanation`` the same as a message when it is a rule link's sentence (shown in the
    reader's language), None when the stored text is to be shown as it is (stated and manual
    links quote their sources)."""

    from_adoption_id: str
    to_adoption_id: str
    basis: str
    basis_label: Message | None
    rule: str
    explanation: Message | None
    source_urls: str | None


@dataclass(frozen=True)
class EventView:
    kind: str
    kind_label: Message | None
    fy: int | None
    description: str
    related_adoption_id: str | None
    source_urls: str | None


@dataclass
class HubStep:
    adoption: AdoptionView
    program_name: str
    link_in: LinkView | None
    events: list[EventView] = field(default_factory=list)


@dataclass(frozen=True)
class HubView:
    id: int
    key: str
    name: str
    prefecture: str | None


@dataclass
class HubHistory:
    hub: HubView
    steps: list[HubStep]

    def to_dict(self) -> dict[str, Any]:
        return {"hub": plain(self.hub), "steps": plain(self.steps)}


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
    """The adoptions of ``hub`` in order, each with the link that brought it in and its events."""
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
        name = programs.get(a.program_id, a.program_id)
        link = links.get(a.id)
        steps.append(
            HubStep(
                AdoptionView(
                    a.id,
                    a.program_id,
                    name,
                    a.region_name,
                    a.title,
                    a.prefectures,
                    a.start_fy,
                    a.end_fy,
                    a.interim_grade,
                    a.final_grade,
                ),
                name,
                _link_view(link) if link is not None else None,
                [
                    EventView(e.kind, event_label(e.kind), e.fy, e.description, e.related_adoption_id, e.source_urls)
                    for e in sorted(a.events, key=lambda e: e.fy or 9999)
                ],
            )
        )
    return HubHistory(HubView(hub.id, hub.key, hub.name, hub.prefecture), steps)


def _link_view(x: LineageLink) -> LinkView:
    return LinkView(
        x.from_adoption_id,
        x.to_adoption_id,
        x.basis,
        basis_label(x.basis),
        x.rule,
        explain_rule(x.rule, x.basis),
        x.source_urls,
    )


# The sentence registry.lineage stores on a rule link, in English; read back into a message so it
# is shown in the reader's language. A sentence of another shape is shown as it is stored.
_RULE_RE = re.compile(
    r"^rule: same prefecture (?P<prefs>.+?); (?P<reasons>.+); (?P<timing>starts FY\d+, .+?) \(window (?P<window>\d+)\)$"
)
_AFTER_RE = re.compile(r"^starts FY(?P<start>\d+), (?P<gap>\d+) year\(s\) after end FY(?P<end>\d+)$")
_BEFORE_RE = re.compile(r"^starts FY(?P<start>\d+), before end FY(?P<end>\d+)$")
_REASONS = (
    ("shared municipality ", "registry.rule_shared_municipality"),
    ("shared area-name word ", "registry.rule_shared_word"),
)
_FIXED_REASONS = {
    "same core institution": "registry.rule_same_core",
    "both areas cover the whole prefecture": "registry.rule_whole_prefecture",
}


def _chain(code: str, items: list[Any]) -> Any:
    """Items joined by a message (``{first}, {rest}``) so the separator is the reader's."""
    if len(items) == 1:
        return items[0]
    return msg(code, "info", first=items[0], rest=_chain(code, items[1:])).to_dict()


def _names(text: str) -> Any:
    return _chain("registry.join_names", [n for n in text.split(NAME_SEPARATOR) if n])


def explain_rule(rule: str | None, basis: str = "rule") -> Message | None:
    """A stored link sentence as a message: a rule link's sentence rebuilt from its parts (so it
    reads in the reader's language). None for any other text (stated and manual links quote
    their sources): it is data, shown as stored."""
    text = rule or ""
    if text == MANUAL_RULE:
        return msg("registry.rule_manual_default", "info")
    m = _RULE_RE.match(text) if basis == "rule" else None
    if m is None:
        return None
    reasons: list[Any] = []
    for part in m.group("reasons").split(", "):
        if part in _FIXED_REASONS:
            reasons.append(msg(_FIXED_REASONS[part], "info").to_dict())
            continue
        for prefix, code in _REASONS:
            if part.startswith(prefix):
                reasons.append(msg(code, "info", names=_names(part[len(prefix) :])).to_dict())
                break
        else:
            return None
    after, before = _AFTER_RE.match(m.group("timing")), _BEFORE_RE.match(m.group("timing"))
    if after:
        timing = msg(
            "registry.rule_timing_after", "info", start=int(after["start"]), end=int(after["end"]), n=int(after["gap"])
        )
    elif before:
        timing = msg("registry.rule_timing_before", "info", start=int(before["start"]), end=int(before["end"]))
    else:
        return None
    return msg(
        "registry.rule_link",
        "info",
        prefectures=_names(m.group("prefs")),
        reasons=_chain("registry.join_clauses", reasons),
        timing=timing.to_dict(),
        window=int(m.group("window")),
    )


@dataclass
class FamilyLine:
    """One policy family on the timeline; ``label`` is an English msgid (shown translated)."""

    family: str
    label: str
    programs: list[str]
    follows: list[str]
    first_fy: int | None
    last_fy: int | None
    per_fy: dict[int, int]
    undated: int

    @property
    def total(self) -> int:
        return sum(self.per_fy.values()) + self.undated


def timeline(session: Session) -> list[FamilyLine]:
    """Program families in policy order, with selections per start FY and who followed whom."""
    programs = list(session.scalars(select(Program)))
    fam_of = {p.id: p.family or p.id for p in programs}
    lines: dict[str, FamilyLine] = {}
    for p in programs:
        fam = fam_of[p.id]
        line = lines.setdefault(fam, FamilyLine(fam, family_msgid(fam), [], [], None, None, {}, 0))
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


_CONTAINED_RE = re.compile(r"^'(?P<shorter>.+)' is contained in '(?P<longer>.+)' \(a sub-unit or a longer form\)$")


def duplicate_reason(reason: str) -> Message | None:
    """The reason :func:`chiiki.registry.organizations.likely_duplicates` gives, as a message
    (None for a sentence of another shape: show it as given)."""
    m = _CONTAINED_RE.match(reason)
    if m:
        return msg("registry.dup_contained", "info", shorter=m["shorter"], longer=m["longer"])
    if reason.startswith("same name apart from "):  # the prefecture suffix, written in Japanese
        return msg("registry.dup_prefecture_suffix", "info")
    return None


def organization_duplicates(session: Session) -> list[dict[str, Any]]:
    """Pairs of organization names that probably mean one body: ``a``, ``b``, ``reason`` (a
    message, or None) and ``detail`` (the reason as the matching rule states it, in English)."""
    from chiiki.registry.organizations import likely_duplicates

    return [
        {"a": p.a, "b": p.b, "reason": duplicate_reason(p.reason), "detail": p.reason}
        for p in likely_duplicates(session)
    ]


@dataclass
class AdoptionDetail:
    """One adoption with every survey item (the export's columns), where each came from, and
    its place in its hub: what an adoption page and ``/api/v1/adoptions/{id}`` show."""

    items: dict[str, Any]
    program_name: str
    hub: HubView | None
    sources: list[str]
    predecessors: list[str]
    successors: list[str]
    events: list[EventView]

    def to_dict(self) -> dict[str, Any]:
        return plain(
            {
                "items": self.items,
                "program_name": self.program_name,
                "hub": self.hub,
                "sources": self.sources,
                "predecessors": self.predecessors,
                "successors": self.successors,
                "events": self.events,
            }
        )


def adoption_detail(session: Session, adoption_id: str) -> AdoptionDetail | None:
    """The adoption ``adoption_id`` (None when there is none), read by its key: one page of a
    large registry reads one row, not the whole table."""
    from chiiki.model.sources import Citation, Source
    from chiiki.registry.export import adoption_columns

    a = session.get(Adoption, adoption_id)
    if a is None:
        return None
    cols = adoption_columns()
    items = {c: getattr(a, "id" if c == "adoption_id" else c) for c in cols}
    program = session.get(Program, a.program_id)
    hub = session.get(Hub, a.hub_id) if a.hub_id is not None else None
    sources = list(
        session.scalars(
            select(Source.url)
            .join(Citation, Citation.source_id == Source.id)
            .where(Citation.entity == "adoption", Citation.entity_key == a.id)
            .order_by(Citation.id)
        )
    )
    live = LineageLink.basis != "reject"
    before = session.scalars(select(LineageLink.from_adoption_id).where(LineageLink.to_adoption_id == a.id, live))
    after = session.scalars(select(LineageLink.to_adoption_id).where(LineageLink.from_adoption_id == a.id, live))
    events = [
        EventView(e.kind, event_label(e.kind), e.fy, e.description, e.related_adoption_id, e.source_urls)
        for e in sorted(a.events, key=lambda e: e.fy or 9999)
    ]
    return AdoptionDetail(
        items,
        program.name_ja if program is not None else a.program_id,
        HubView(hub.id, hub.key, hub.name, hub.prefecture) if hub is not None else None,
        sources,
        sorted(set(before)),
        sorted(set(after)),
        events,
    )


def hub_by_id(session: Session, hub_id: int) -> Hub | None:
    return session.scalars(select(Hub).where(Hub.id == hub_id).options(selectinload(Hub.adoptions))).first()
