"""Lineage: group adoptions into hubs and link successors by an explainable rule.

Rule (each link stores the sentence that justified it):
  a later adoption B succeeds an earlier adoption A when
  1. they share a prefecture, and
  2. they share a municipality, or the same core institution, or a word of the area name other
     than the prefecture's own name (after NFKC and dropping 【】, エリア, 地域 …), or both areas
     are the whole prefecture, and
  3. B starts after A started and no later than N fiscal years after A's end (default N = 5).
Links stated on a page (bundled) or given in an override file (`basis` stated/manual) always win;
`reject` rows veto a pair. Hubs are the connected groups of links, plus parallel selections
(same area, same start year, e.g. 推進地域 + 支援プログラム).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from chiiki.ingest.normalize import nfkc, org_key, split_list, strip_parenthetical, text_key
from chiiki.model.registry import Adoption, Hub, LineageLink

DEFAULT_WINDOW = 5
_AREA_STOP = re.compile(r"エリア|地域|地区|周辺|圏域|全域|を核とする|広域|流域|および|及び|その|関連|産業集積|推進|の")
_PREF_SUFFIX = re.compile(r"(?<=..)[都府県]$")


@dataclass
class _A:
    id: str
    start: int | None
    end: int | None
    prefs: set[str]
    munis: set[str]
    core: str
    words: set[str]
    region: str


def area_words(name: str | None) -> set[str]:
    """Distinctive words of an area name: 【札幌周辺を核とする道央地域】 → {'札幌', '道央'}."""
    if not name:
        return set()
    text = strip_parenthetical(nfkc(name)) or nfkc(name)
    text = re.sub(r"[【】\[\]()「」『』\"'“”]", " ", text)
    text = _AREA_STOP.sub(" ", text)
    words = set()
    for w in re.split(r"[\s・,、/~\-]+", text):
        w = _PREF_SUFFIX.sub("", w.strip())
        if len(w) >= 2 and not w.isascii():
            words.add(w)
    return words


def _load(session: Session) -> list[_A]:
    out = []
    cols = (
        Adoption.id,
        Adoption.start_fy,
        Adoption.end_fy,
        Adoption.prefectures,
        Adoption.municipalities,
        Adoption.core_institution,
        Adoption.region_name,
        Adoption.title,
    )
    for a in session.execute(select(*cols)):
        prefs = {_PREF_SUFFIX.sub("", strip_parenthetical(p)) for p in split_list(a.prefectures)}
        core = ""
        if a.core_institution:
            first = strip_parenthetical(a.core_institution).split(";")[0]
            if "." not in first and "の財団" not in first:
                core = org_key(first)
        out.append(
            _A(
                a.id,
                a.start_fy,
                a.end_fy,
                {p for p in prefs if p},
                set(split_list(a.municipalities)),
                core,
                area_words(a.region_name) | area_words(a.title if not a.region_name else None),
                a.region_name or a.title or a.id,
            )
        )
    return out


def _match(a: _A, b: _A, window: int) -> str | None:
    """The sentence explaining why b succeeds a, or None."""
    if a.start is None or b.start is None or a.end is None:
        return None
    if not (a.start < b.start <= a.end + window):
        return None
    shared_pref = a.prefs & b.prefs
    if not shared_pref:
        return None
    reasons = []
    if a.munis & b.munis:
        reasons.append("shared municipality " + "・".join(sorted(a.munis & b.munis)))
    if a.core and a.core == b.core:
        reasons.append("same core institution")
    shared_words = (a.words & b.words) - shared_pref
    if shared_words:
        reasons.append("shared area-name word " + "・".join(sorted(shared_words)))
    elif a.words and a.words == b.words == (a.words & shared_pref):
        # A prefecture name alone is no evidence (condition 1 covers it) unless both areas are
        # the whole prefecture (長野県全域 → 長野県).
        reasons.append("both areas cover the whole prefecture")
    if not reasons:
        return None
    gap = b.start - a.end
    timing = (
        f"starts FY{b.start}, {gap} year(s) after end FY{a.end}"
        if gap >= 0
        else f"starts FY{b.start}, before end FY{a.end}"
    )
    return f"rule: same prefecture {'・'.join(sorted(shared_pref))}; {', '.join(reasons)}; {timing} (window {window})"


def _tokens(a: _A, pref: str) -> set[str]:
    """Index keys under which a matching successor must also be filed (see condition 2)."""
    keys = {"m:" + m for m in a.munis} | {"w:" + w for w in a.words - {pref}}
    if a.core:
        keys.add("c:" + a.core)
    if a.words and a.words <= {pref}:
        keys.add("whole-prefecture")
    return keys


def rule_links(adoptions: list[_A], window: int = DEFAULT_WINDOW) -> list[tuple[str, str, str]]:
    """(from, to, rule) for every pair the rule links.

    Candidates come from an index (prefecture → shared municipality / core / area word → adoptions
    sorted by start), so the work grows with the number of real candidates, not with n².
    The successor is the *next* matching adoption: only matches in the earliest later start year
    are kept, so a hub forms a chain A → B → C rather than a fan A → B, A → C.
    """
    index: dict[tuple[str, str], list[_A]] = defaultdict(list)
    for a in adoptions:
        if a.start is not None:
            for p in a.prefs:
                for key in _tokens(a, p):
                    index[(p, key)].append(a)
    starts: dict[tuple[str, str], list[int]] = {}
    for k, lst in index.items():
        lst.sort(key=lambda x: x.start)  # type: ignore[arg-type,return-value]
        starts[k] = [x.start for x in lst]  # type: ignore[misc]
    found: dict[tuple[str, str], str] = {}
    for a in adoptions:
        if a.start is None or a.end is None:
            continue
        candidates: dict[str, _A] = {}
        for p in a.prefs:
            for key in _tokens(a, p):
                lst, st = index[(p, key)], starts[(p, key)]
                lo = bisect.bisect_right(st, a.start)
                hi = bisect.bisect_right(st, a.end + window)
                for b in lst[lo:hi]:
                    candidates[b.id] = b
        first_year: int | None = None
        for b in sorted(candidates.values(), key=lambda x: (x.start, x.id)):  # type: ignore[arg-type,return-value]
            if first_year is not None and b.start != first_year:
                break
            why = _match(a, b, window)
            if why:
                found[(a.id, b.id)] = why
                first_year = b.start
    return [(a, b, why) for (a, b), why in found.items()]


def _parallel_pairs(adoptions: list[_A]) -> list[tuple[str, str]]:
    """Selections of one area in the same year by sister programs (推進地域 + 支援プログラム)."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for a in adoptions:
        if a.start is not None:
            groups[(text_key(strip_parenthetical(a.region)) or a.region, a.start)].append(a.id)
    return [(ids[0], other) for ids in groups.values() for other in ids[1:]]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class LineageSummary:
    rule_links: int
    fixed_links: int
    hubs: int
    multi_adoption_hubs: int


def rebuild(session: Session, window: int = DEFAULT_WINDOW) -> LineageSummary:
    """Recompute rule links and hubs; stated/manual/reject links are kept as they are."""
    session.execute(delete(LineageLink).where(LineageLink.basis == "rule"))
    fixed = list(session.scalars(select(LineageLink)))
    vetoed = {(x.from_adoption_id, x.to_adoption_id) for x in fixed if x.basis == "reject"}
    kept = {(x.from_adoption_id, x.to_adoption_id) for x in fixed if x.basis != "reject"}
    adoptions = _load(session)
    new_links = [
        {"from_adoption_id": a, "to_adoption_id": b, "basis": "rule", "rule": why, "stated": False}
        for a, b, why in rule_links(adoptions, window)
        if (a, b) not in vetoed and (a, b) not in kept
    ]
    if new_links:
        session.execute(insert(LineageLink.__table__), new_links)

    uf = _UnionFind()
    for a in adoptions:
        uf.find(a.id)
    for a, b in kept | {(x["from_adoption_id"], x["to_adoption_id"]) for x in new_links}:
        uf.union(a, b)
    for a, b in _parallel_pairs(adoptions):
        if (a, b) not in vetoed and (b, a) not in vetoed:
            uf.union(a, b)
    members: dict[str, list[_A]] = defaultdict(list)
    for a in adoptions:
        members[uf.find(a.id)].append(a)

    session.execute(update(Adoption.__table__).values(hub_id=None))
    session.execute(delete(Hub))
    session.flush()
    multi = 0
    hub_rows: list[dict] = []
    hub_of: dict[str, str] = {}
    for group in members.values():
        group.sort(key=lambda x: (x.start or 9999, x.id))
        first = group[0]
        prefs = sorted({p for g in group for p in g.prefs})
        key = f"hub:{first.id}"
        hub_rows.append(
            {
                "key": key,
                "name": strip_parenthetical(first.region) or first.region,
                "prefecture": "; ".join(prefs) or None,
            }
        )
        multi += len(group) > 1
        hub_of.update((g.id, key) for g in group)
    hub_table = Hub.__table__
    if hub_rows:
        session.execute(insert(hub_table), hub_rows)
    ids = dict(session.execute(select(hub_table.c.key, hub_table.c.id)).tuples().all())
    assignments = [{"b_id": aid, "b_hub": ids[key]} for aid, key in hub_of.items()]
    if assignments:
        table = Adoption.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(hub_id=bindparam("b_hub")),
            assignments,
        )
    session.expire_all()
    return LineageSummary(len(new_links), len(kept), len(members), multi)
