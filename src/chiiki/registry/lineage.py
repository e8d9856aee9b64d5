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
from typing import Any, cast

from sqlalchemy import Column, Table, UniqueConstraint, bindparam, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from chiiki.ingest.normalize import nfkc, org_key, split_list, strip_parenthetical, text_key
from chiiki.model.enums import LinkBasis
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
    hubs_created: int = 0
    hubs_updated: int = 0
    hubs_merged: int = 0
    hubs_removed: int = 0


@dataclass
class _Group:
    key: str
    members: list[_A]
    name: str
    prefecture: str | None


def hub_key(members: list[_A]) -> str:
    """The stable key of a hub: its earliest adoption by (start FY, id), as ``hub:<id>``."""
    first = min(members, key=lambda x: (x.start or 9999, x.id))
    return f"hub:{first.id}"


def _groups(members: dict[str, list[_A]]) -> list[_Group]:
    out = []
    for group in members.values():
        group.sort(key=lambda x: (x.start or 9999, x.id))
        first = group[0]
        prefs = sorted({p for g in group for p in g.prefs})
        out.append(
            _Group(hub_key(group), group, strip_parenthetical(first.region) or first.region, "; ".join(prefs) or None)
        )
    out.sort(key=lambda g: g.key)
    return out


def _sync_rule_links(session: Session, wanted: dict[tuple[str, str], str]) -> None:
    """Make the rule links exactly ``wanted`` (pair → rule sentence), touching only what changed."""
    table = _table(LineageLink)
    have = {
        (r.from_adoption_id, r.to_adoption_id): (r.id, r.rule)
        for r in session.execute(
            select(table.c.id, table.c.from_adoption_id, table.c.to_adoption_id, table.c.rule).where(
                table.c.basis == LinkBasis.RULE.value
            )
        )
    }
    gone = [link_id for pair, (link_id, _rule) in have.items() if pair not in wanted]
    for chunk in _chunks(gone):
        session.execute(delete(table).where(table.c.id.in_(chunk)))
    changed = [{"b_id": have[p][0], "b_rule": why} for p, why in wanted.items() if p in have and have[p][1] != why]
    if changed:
        session.execute(update(table).where(table.c.id == bindparam("b_id")).values(rule=bindparam("b_rule")), changed)
    added = [
        {"from_adoption_id": a, "to_adoption_id": b, "basis": LinkBasis.RULE.value, "rule": why, "stated": False}
        for (a, b), why in wanted.items()
        if (a, b) not in have
    ]
    if added:
        session.execute(insert(table), added)


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _chunks(items: list, size: int = 500) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _hub_references() -> list[Column]:
    """Every column outside ``adoptions`` with a foreign key to ``hubs.id`` (hearing_hubs,
    documents, and whatever is added later), found from the metadata so none is forgotten."""
    import chiiki.model  # noqa: F401  (registers every table)

    hub_id = _table(Hub).c.id
    return [
        fk.parent
        for table in Hub.metadata.sorted_tables
        if table.name != Adoption.__tablename__
        for fk in table.foreign_keys
        if fk.column is hub_id
    ]


def repoint_hub(session: Session, old: int, new: int) -> None:
    """Move every reference to hub ``old`` to hub ``new``. A row that would then duplicate one
    already pointing at ``new`` under a unique constraint (a hearing linked to both) is dropped:
    the link it stood for is already there."""
    for column in _hub_references():
        table = column.table
        for uq in table.constraints:
            if isinstance(uq, UniqueConstraint) and column.name in uq.columns:
                twin = table.alias("twin")
                same = [twin.c[c.name] == c for c in uq.columns if c.name != column.name]
                clash = exists().where(twin.c[column.name] == new, *same)
                session.execute(delete(table).where(column == old, clash))
        session.execute(update(table).where(column == old).values({column.name: new}))


def _sync_hubs(session: Session, groups: list[_Group]) -> dict[str, int]:
    """Upsert the hubs of ``groups`` keeping their ids (the rule is in :func:`rebuild`); returns
    counts of created, updated, merged and removed hubs."""
    hub_t, ad_t = _table(Hub), _table(Adoption)
    hubs = {r.id: r for r in session.execute(select(hub_t.c.id, hub_t.c.key, hub_t.c.name, hub_t.c.prefecture))}
    by_key = {r.key: r.id for r in hubs.values()}
    was_in: dict[str, int | None] = dict(session.execute(select(ad_t.c.id, ad_t.c.hub_id)).tuples().all())
    former: dict[int, list[str]] = defaultdict(list)
    for aid, hid in was_in.items():
        if hid is not None:
            former[hid].append(aid)

    # 1. A group whose key names an existing hub is that hub.
    chosen: dict[str, int] = {}
    claimed: set[int] = set()
    for g in groups:
        if g.key in by_key:
            chosen[g.key] = by_key[g.key]
            claimed.add(by_key[g.key])
    # 2. Another group inherits the unclaimed hub most of its members were in (ties: the hub of
    #    its earliest member), so a hub whose earliest adoption changed keeps its id.
    for g in groups:
        if g.key in chosen:
            continue
        votes: dict[int, int] = defaultdict(int)
        for m in g.members:
            hid = was_in.get(m.id)
            if hid is not None and hid not in claimed:
                votes[hid] += 1
        if votes:
            order: dict[int, int] = {}
            for i, m in enumerate(g.members):
                hid = was_in.get(m.id)
                if hid in votes:
                    order.setdefault(hid, i)
            best = min(votes, key=lambda h: (-votes[h], order[h], h))
            chosen[g.key] = best
            claimed.add(best)

    counts = {"created": 0, "updated": 0, "merged": 0, "removed": 0}
    changed = []
    for g in groups:
        hid = chosen.get(g.key)
        if hid is None:
            continue
        row = hubs[hid]
        if (row.key, row.name, row.prefecture) != (g.key, g.name, g.prefecture):
            changed.append({"b_id": hid, "b_key": g.key, "b_name": g.name, "b_pref": g.prefecture})
    if changed:
        session.execute(
            update(hub_t)
            .where(hub_t.c.id == bindparam("b_id"))
            .values(key=bindparam("b_key"), name=bindparam("b_name"), prefecture=bindparam("b_pref")),
            changed,
        )
        counts["updated"] = len(changed)
    new_rows = [{"key": g.key, "name": g.name, "prefecture": g.prefecture} for g in groups if g.key not in chosen]
    if new_rows:
        session.execute(insert(hub_t), new_rows)
        keys = [r["key"] for r in new_rows]
        for chunk in _chunks(keys):
            chosen.update(session.execute(select(hub_t.c.key, hub_t.c.id).where(hub_t.c.key.in_(chunk))).tuples().all())
        counts["created"] = len(new_rows)

    # Members in place: only adoptions whose hub changed are written.
    now_in = {m.id: chosen[g.key] for g in groups for m in g.members}
    moved = [{"b_id": aid, "b_hub": hid} for aid, hid in now_in.items() if was_in.get(aid) != hid]
    if moved:
        session.execute(update(ad_t).where(ad_t.c.id == bindparam("b_id")).values(hub_id=bindparam("b_hub")), moved)

    # 3. A hub no group kept was absorbed: its references follow most of its former members.
    for hid in sorted(set(hubs) - claimed):
        targets: dict[int, int] = defaultdict(int)
        for aid in former.get(hid, []):
            if aid in now_in:
                targets[now_in[aid]] += 1
        if targets:
            repoint_hub(session, hid, min(targets, key=lambda h: (-targets[h], h)))
            counts["merged"] += 1
        else:
            counts["removed"] += 1
        session.execute(delete(hub_t).where(hub_t.c.id == hid))
    return counts


def rebuild(session: Session, window: int = DEFAULT_WINDOW) -> LineageSummary:
    """Recompute rule links and hubs; stated/manual/reject links are kept as they are.

    Hubs keep their identity across rebuilds, so what points at a hub (hearing↔hub links,
    ``documents.hub_id``, any other foreign key to ``hubs``) survives every import and rebuild:

    - A hub's key is derived from its membership: ``hub:<id of its earliest adoption by
      (start FY, id)>`` (:func:`hub_key`). The same component gets the same key and keeps its row
      and id; members, name and prefecture are updated in place, and only what changed is
      written (an unchanged registry writes nothing).
    - **Merge**: when components join, the hub whose key the union keeps (it holds the earliest
      adoption) survives; every reference to an absorbed hub is re-pointed to it (a duplicate
      hearing link is dropped, since the hearing is then already linked) before the absorbed hub
      is deleted.
    - **Split**: the part holding the key's adoption keeps the hub, its id and every reference;
      the other parts become new hubs.
    - A component whose key names no hub (e.g. an earlier adoption joined it) inherits the hub
      most of its members were in (ties: its earliest member's), with the key updated.
    - A hub none of whose adoptions remain is deleted (its references go by their ``ON DELETE``
      rules: there is no hub left for them to name).
    """
    fixed = list(session.scalars(select(LineageLink).where(LineageLink.basis != LinkBasis.RULE.value)))
    vetoed = {(x.from_adoption_id, x.to_adoption_id) for x in fixed if x.basis == LinkBasis.REJECT}
    kept = {(x.from_adoption_id, x.to_adoption_id) for x in fixed if x.basis != LinkBasis.REJECT}
    adoptions = _load(session)
    wanted = {(a, b): why for a, b, why in rule_links(adoptions, window) if (a, b) not in vetoed and (a, b) not in kept}
    _sync_rule_links(session, wanted)

    uf = _UnionFind()
    for a in adoptions:
        uf.find(a.id)
    for x, y in kept | set(wanted):
        uf.union(x, y)
    for x, y in _parallel_pairs(adoptions):
        if (x, y) not in vetoed and (y, x) not in vetoed:
            uf.union(x, y)
    members: dict[str, list[_A]] = defaultdict(list)
    for a in adoptions:
        members[uf.find(a.id)].append(a)
    groups = _groups(members)
    session.flush()
    counts = _sync_hubs(session, groups)
    session.expire_all()
    return LineageSummary(
        len(wanted),
        len(kept),
        len(groups),
        sum(len(g.members) > 1 for g in groups),
        hubs_created=counts["created"],
        hubs_updated=counts["updated"],
        hubs_merged=counts["merged"],
        hubs_removed=counts["removed"],
    )
