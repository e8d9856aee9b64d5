"""Organizations named in adoption rows, their kinds, and likely duplicates.

The registry's `core_institution` and `universities` cells are copied from pages as written
("(財)岐阜県研究開発財団", "山口大学; 山口東京理科大学 (+ 県産業技術センター)"). We derive
participation rows from them by a documented rule, marked "derived:" so they can be rebuilt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chiiki.ingest.normalize import expand_abbreviations, nfkc, org_key, strip_parenthetical
from chiiki.model.registry import Adoption, Organization, Participation

DERIVED = "derived:"

# Ordered rules: the first that matches decides. Each is (kind, pattern on the NFKC name).
_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("financial_institution", re.compile(r"銀行|信用金庫|信用組合|キャピタル|VC|証券|ファンド")),
    (
        "public_research_institute",
        re.compile(
            r"(?:都|道|府|県|市)立?.*(?:工業技術|産業技術|技術|試験|研究)(?:センター|研究所|場|所)|"
            r"(?:工業技術|産業技術総合|産業技術)センター|試験場|水産海洋研究センター|衛生環境研究所|工業試験|機械材料研究所|生活技術研究所|KISTEC"
        ),
    ),
    (
        "national_research_institute",
        re.compile(r"産業技術総合研究所|産総研|国立研究開発法人|理化学研究所|物質・材料研究機構|国立がん研究センター"),
    ),
    ("university", re.compile(r"大学|高等専門学校|高専|大学院|学院")),
    ("company", re.compile(r"株式会社|有限会社|合同会社|\(株\)|Inc\.?|Co\.,|Ltd")),
    ("foundation", re.compile(r"財団|機構|振興センター|支援センター|公社|協会|工業会|推進機構|協議会|センター")),
    ("local_government", re.compile(r"^(?:.{1,3}[都道府県]|.{1,4}[市町村区])(?:庁|役所|役場)?$")),
)


def guess_kind(name: str) -> str:
    """The organization kind from its name (the rule above; 'other' when nothing matches)."""
    text = expand_abbreviations(nfkc(name))
    for kind, pattern in _KIND_RULES:
        if pattern.search(text):
            return kind
    return "other"


@dataclass(frozen=True)
class NamedOrg:
    name: str
    role: str
    column: str


_NOT_A_NAME = re.compile(r"\.(?:or|go|ac|co)\.jp|の財団|当財団|^実施主体")
_PLUS_INNER = re.compile(r"[(（]\s*(?:\+|官:|官：)\s*([^()（）]*)[)）]")


def names_in_cell(cell: str | None, role: str, column: str) -> list[NamedOrg]:
    """Organization names in one cell: split on ';' and '+', drop remarks in brackets.

    Bracketed "(+ X, Y)" and "(官: X)" list further bodies and are kept; other brackets are
    remarks ("(提案機関)", "(再委託機関)"). Cells that describe rather than name a body
    ("astf.or.jp の財団") give nothing: we never guess a name.
    """
    if not cell:
        return []
    text = expand_abbreviations(nfkc(cell))
    extra: list[str] = []
    for m in _PLUS_INNER.finditer(text):
        extra.extend(p.strip() for p in re.split(r"[,、;]", m.group(1)))
    text = _PLUS_INNER.sub("", text)
    text = strip_parenthetical(text)
    parts = [p.strip() for p in re.split(r"\s*[;+]\s*", text)]
    out: list[NamedOrg] = []
    for i, part in enumerate(parts + extra):
        if not part or _NOT_A_NAME.search(part) or part.startswith(("県", "市", "同")):
            continue
        # Only the first body of a core cell is the core institution; the rest participate.
        r = role if (role != "core" or i == 0) else "participating"
        out.append(NamedOrg(part, r, column))
    return out


def derive_participations(session: Session) -> int:
    """Rebuild the derived participation rows of every adoption; returns how many."""
    session.execute(delete(Participation).where(Participation.note.like(DERIVED + "%")))
    orgs: dict[str, Organization] = {o.key: o for o in session.scalars(select(Organization))}
    count = 0
    seen: set[tuple[str, int, str]] = set()
    rows = session.execute(select(Adoption.id, Adoption.core_institution, Adoption.universities, Adoption.prefectures))
    pending: list[Participation] = []
    for aid, core, universities, prefs in rows:
        named = names_in_cell(core, "core", "core_institution") + names_in_cell(
            universities, "participating", "universities"
        )
        for n in named:
            key = org_key(n.name)
            if not key:
                continue
            org = orgs.get(key)
            if org is None:
                pref = prefs.strip() if prefs and ";" not in prefs else None  # only when unambiguous
                org = Organization(key=key, name=n.name, kind=guess_kind(n.name), prefecture=pref)
                session.add(org)
                session.flush()
                orgs[key] = org
            marker = (aid, org.id, n.role)
            if marker in seen:
                continue
            seen.add(marker)
            pending.append(
                Participation(adoption_id=aid, organization_id=org.id, role=n.role, note=f"{DERIVED} {n.column}")
            )
            count += 1
    session.add_all(pending)
    session.flush()
    return count


@dataclass(frozen=True)
class DuplicateCandidate:
    a: str
    b: str
    reason: str


def likely_duplicates(session: Session) -> list[DuplicateCandidate]:
    """Organization names that probably mean the same body, with the reason.

    Exact key matches are already merged; here we list near matches: one key contains the other
    (東北大学 / 東北大学大学院工学研究科), or keys equal after dropping 県/府/都 prefixes in names
    of public bodies.
    """
    orgs = list(session.scalars(select(Organization).order_by(Organization.key)))
    out: list[DuplicateCandidate] = []
    for i, a in enumerate(orgs):
        for b in orgs[i + 1 :]:
            # Containment only means "same body" between bodies of one kind: 宮城県 is not
            # 宮城県産業技術総合センター.
            if a.kind == b.kind and len(a.key) >= 3 and len(b.key) >= 3 and (a.key in b.key or b.key in a.key):
                shorter, longer = (a, b) if len(a.key) <= len(b.key) else (b, a)
                out.append(
                    DuplicateCandidate(
                        shorter.name,
                        longer.name,
                        f"'{shorter.key}' is contained in '{longer.key}' (a sub-unit or a longer form)",
                    )
                )
            elif a.kind == b.kind and a.key.replace("県", "") == b.key.replace("県", "") and a.key != b.key:
                out.append(DuplicateCandidate(a.name, b.name, "same name apart from 県"))
    return out
