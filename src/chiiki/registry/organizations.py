"""Organizations named in adoption rows, their kinds, and likely duplicates.

The registry's `core_institution` and `universities` cells are copied from pages as written
("(財)岐阜県研究開発財団", "山口大学; 山口東京理科大学 (+ 県産業技術センター)"). We derive
participation rows from them by a documented rule, marked "derived:" so they can be rebuilt.

The `prefectures` and `municipalities` cells name the applicants (提案自治体): every adoption of
these programs is proposed by a prefecture or a city. Left underived, "a local government takes
part" reads 0 for every adoption, which is a recording artefact, not a finding (issue 8, "missing
is not absent"); so each named place becomes a local-government organization with the role
``applicant``.

This module also holds the spellings of the adoption columns that say how completely an
adoption's participants are recorded (``participants_recorded``) and when its ex-post evaluation
(事後評価) took place (``final_evaluation_fy``): Japanese source words are data, kept here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chiiki.ingest import values as v
from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.normalize import expand_abbreviations, nfkc, org_key, strip_corporate_forms, strip_parenthetical
from chiiki.ingest.places import PREFECTURES, canonical_prefecture
from chiiki.ingest.schema import Column
from chiiki.model.enums import OrgKind, ParticipationRole
from chiiki.model.registry import Adoption, Organization, ParticipantsRecorded, Participation

DERIVED = "derived:"

# A name that starts with a prefecture or a municipality (after any legal form): 宮城県…, 北海道立…,
# 名古屋市… The place must *start* the name: 北海道大学触媒科学研究所 is not 道-run.
_PLACE = r"(?:.{1,3}[都道府県]|.{1,6}市)"
# Ordered rules: the first that matches decides. Each is (kind, pattern on the NFKC name with
# abbreviations expanded, (株) → 株式会社, (地独) → 地方独立行政法人 …). ``bare`` patterns are tried on
# the name with its legal forms removed (公益財団法人 etc.), so a place prefix is seen after them.
# Why this order: a legal form that names the kind wins over words in the name (a 株式会社 is a
# company even when called 研究機構; a 財団法人 is a foundation even when it runs a 研究センター);
# money first (a bank is a 株式会社 too), universities before institutes (a university's 研究所).
_KIND_RULES: tuple[tuple[OrgKind, re.Pattern[str], bool], ...] = (
    (
        OrgKind.FINANCIAL_INSTITUTION,
        re.compile(r"銀行|信用金庫|信用組合|金庫|公庫|キャピタル|\bVC\b|証券|ファンド|投資育成|ベンチャーパートナーズ"),
        False,
    ),
    (OrgKind.COMPANY, re.compile(r"株式会社|有限会社|合同会社|\bInc\b|\bCo\.,|\bLtd\b"), False),
    # a 地方独立行政法人 is a prefecture's or city's own body: its 公設試 (not its hospital or university)
    (OrgKind.PUBLIC_RESEARCH_INSTITUTE, re.compile(r"地方独立行政法人(?!.*(?:病院|大学))"), False),
    (
        OrgKind.NATIONAL_RESEARCH_INSTITUTE,
        re.compile(
            r"(?<![都道府県市])(?<![都道府県市]立)産業技術総合研究所|産総研|国立研究開発法人|理化学研究所|物質・材料研究機構|国立がん研究センター|"
            r"科学技術振興機構|新エネルギー・産業技術総合開発機構|日本医療研究開発機構|情報通信研究機構|"
            r"宇宙航空研究開発機構|海洋研究開発機構|農業・食品産業技術総合研究機構|量子科学技術研究開発機構"
        ),
        False,
    ),
    (OrgKind.UNIVERSITY, re.compile(r"大学|高等専門学校|高専|学院"), False),
    (OrgKind.FOUNDATION, re.compile(r"財団"), False),
    (
        OrgKind.PUBLIC_RESEARCH_INSTITUTE,  # 公設試: prefectural / municipal research and testing centres
        re.compile(
            r"公設試|"
            r"(?:工業技術|産業技術総合|産業技術)センター|試験場|工業試験|水産海洋研究センター|衛生環境研究所|"
            r"機械材料研究所|生活技術研究所|KISTEC"
        ),
        False,
    ),
    (
        OrgKind.PUBLIC_RESEARCH_INSTITUTE,
        re.compile(rf"^{_PLACE}立?.*(?:工業|産業|技術|試験|研究)(?:総合)?(?:センター|研究所|場|所)"),
        True,
    ),
    (
        OrgKind.FOUNDATION,  # industry promotion bodies
        re.compile(r"機構|振興センター|支援センター|公社|協会|工業会|振興会|協議会|センター"),
        False,
    ),
    (
        OrgKind.LOCAL_GOVERNMENT,
        re.compile(r"^(?:.{1,3}[都道府県]|.{1,6}[市町村区])(?:庁|役所|役場|.{1,12}(?:部|課|局|室))?$"),
        True,
    ),
)


def guess_kind(name: str) -> str:
    """The organization kind from its name: the first rule above that matches, else ``other``.

    The returned value is an :class:`~chiiki.model.enums.OrgKind` value (a ``str``).
    """
    text = expand_abbreviations(nfkc(name)).strip()
    bare = strip_corporate_forms(text).strip()
    for kind, pattern, on_bare in _KIND_RULES:
        if pattern.search(bare if on_bare else text):
            return kind.value
    return OrgKind.OTHER.value


@dataclass(frozen=True)
class NamedOrg:
    """A name found in a cell. ``kind``/``prefecture`` are set when the cell itself tells them
    (a place cell names a local government of a known prefecture); otherwise they are guessed."""

    name: str
    role: str
    column: str
    kind: str | None = None
    prefecture: str | None = None


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
        r = role if (role != ParticipationRole.CORE or i == 0) else ParticipationRole.PARTICIPATING.value
        out.append(NamedOrg(part, r, column))
    return out


# The separators of a place cell as pages write them (北海道、札幌市 / 愛知県; 岐阜県 / 釜石市・遠野市),
# the same set as chiiki.factors.candidates.split_names, so derivation and analysis split alike.
_PLACE_SPLIT = re.compile(r"\s*(?:[\u3001,\uff0c;\uff1b/\uff0f\u30fb]|\s\|\s|\n)\s*")
_EMPTY_PLACE = {"-", "—", "―", "ー"}
# A municipality as a place cell writes it: 浜松市, 函南町, 伊豆の国市, 千代田区. Nothing else in
# such a cell is taken for a government (a remark, an area name like 北部九州): we never guess.
_MUNICIPALITY = re.compile(r"^[^\s()]{1,10}[市町村区]$")
# …but a 学研都市 or 学園都市 is an area, not a city (京都市 ends in 都市 too, so only these words).
_AREA_CITY = re.compile(r"(?:学研|学園|研究|科学|産業|技術|田園)都市$")


def split_places(cell: str | None) -> list[str]:
    """The names in a prefecture / municipality cell, bracketed remarks removed, as written.

    Remarks are removed before splitting, so a remark with a comma in it ('愛知県 (proposer per
    page)') does not yield a name.
    """
    if not cell:
        return []
    text = strip_parenthetical(nfkc(cell))
    return [p for p in (part.strip() for part in _PLACE_SPLIT.split(text)) if p and p not in _EMPTY_PLACE]


def local_government(name: str, prefecture: str | None = None) -> tuple[str, str | None] | None:
    """(name, prefecture) of a local government a place cell names, or None when it names none.

    A prefecture is written in its full form whatever the page wrote (岩手 → 岩手県), so one
    prefecture is one organization; a municipality keeps its name as written, and a leading
    prefecture (静岡県浜松市) is moved to the prefecture. ``prefecture`` is the adoption's single
    prefecture, used for a municipality that names none.
    """
    text = nfkc(name).strip()
    pref = canonical_prefecture(text)
    if pref is not None:
        return pref, pref
    for full in PREFECTURES:
        rest = text[len(full) :]
        if text.startswith(full) and _MUNICIPALITY.match(rest) and not _AREA_CITY.search(rest):
            return rest, full
    if _MUNICIPALITY.match(text) and not _AREA_CITY.search(text):
        return text, prefecture
    return None


def applicants_in_cells(prefectures: str | None, municipalities: str | None) -> list[NamedOrg]:
    """The local governments an adoption's place cells name, as applicants (one per name).

    A municipality without a prefecture of its own gets the adoption's prefecture only when the
    prefecture cell names exactly one (an adoption of 愛知県; 岐阜県 does not tell where 大垣市 is).
    """
    prefs = [p for p in (canonical_prefecture(n) for n in split_places(prefectures)) if p]
    only = prefs[0] if len(set(prefs)) == 1 else None
    out: list[NamedOrg] = []
    for column, cell in (("prefectures", prefectures), ("municipalities", municipalities)):
        for part in split_places(cell):
            found = local_government(part, only)
            if found is not None:
                gov, pref = found
                out.append(
                    NamedOrg(gov, ParticipationRole.APPLICANT.value, column, OrgKind.LOCAL_GOVERNMENT.value, pref)
                )
    return out


def derive_participations(session: Session) -> int:
    """Rebuild the derived participation rows of every adoption; returns how many.

    Derived rows (note ``derived: <column>``) are deleted and made again, so running this twice
    changes nothing, and rows imported or entered by hand are never touched: a derived row that
    would repeat one of them is not added.
    """
    session.execute(delete(Participation).where(Participation.note.like(DERIVED + "%")))
    orgs: dict[str, Organization] = {o.key: o for o in session.scalars(select(Organization))}
    count = 0
    seen: set[tuple[str, int, str]] = {
        (aid, oid, role)
        for aid, oid, role in session.execute(
            select(Participation.adoption_id, Participation.organization_id, Participation.role)
        )
    }
    rows = session.execute(
        select(
            Adoption.id, Adoption.core_institution, Adoption.universities, Adoption.prefectures, Adoption.municipalities
        ).order_by(Adoption.id)
    )
    pending: list[Participation] = []
    for aid, core, universities, prefs, cities in rows:
        named = (
            names_in_cell(core, ParticipationRole.CORE.value, "core_institution")
            + names_in_cell(universities, ParticipationRole.PARTICIPATING.value, "universities")
            + applicants_in_cells(prefs, cities)
        )
        for n in named:
            key = org_key(n.name)
            if not key:
                continue
            org = orgs.get(key)
            if org is None:
                if n.kind is not None:
                    kind, pref = n.kind, n.prefecture
                else:
                    kind = guess_kind(n.name)
                    pref = prefs.strip() if prefs and ";" not in prefs else None  # only when unambiguous
                org = Organization(key=key, name=n.name, kind=kind, prefecture=pref)
                session.add(org)
                session.flush()
                orgs[key] = org
            elif n.kind is not None:  # the place cell says what the organization row may not
                if org.kind == OrgKind.OTHER:
                    org.kind = n.kind
                if org.prefecture is None and n.prefecture is not None:
                    org.prefecture = n.prefecture
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


# -- how completely an adoption's participants are recorded, and when it was evaluated ---------

# Spellings of ``participants_recorded`` in source files (NFKC, lower case) → stored value.
PARTICIPANTS_RECORDED_SPELLINGS: dict[str, str] = {
    "complete": ParticipantsRecorded.COMPLETE.value,
    "完全": ParticipantsRecorded.COMPLETE.value,
    "全数": ParticipantsRecorded.COMPLETE.value,
    "partial": ParticipantsRecorded.PARTIAL.value,
    "一部": ParticipantsRecorded.PARTIAL.value,
    "部分": ParticipantsRecorded.PARTIAL.value,
}


def participants_recorded(value: object) -> str | None:
    """The stored ``participants_recorded`` value of a cell; empty → None (not stated).

    "Not stated" stays NULL rather than becoming "partial": whether a list is complete is a
    claim a source makes, and the analysis must be able to tell it was never made.
    """
    text = v.text(value)
    if text is None:
        return None
    stored = PARTICIPANTS_RECORDED_SPELLINGS.get(nfkc(text).strip().lower())
    if stored is None:
        raise InvalidValue(
            "registry.unknown_value",
            value,
            field="participants_recorded",
            expected=", ".join(PARTICIPANTS_RECORDED_SPELLINGS),
        )
    return stored


# The two adoption columns as import files may carry them (English name and Japanese headings).
ADOPTION_RECORDING_COLUMNS: tuple[Column, ...] = (
    Column(
        "participants_recorded",
        participants_recorded,
        aliases=("参画機関の記録", "参画機関記録", "参加機関の記録", "参画機関の網羅性"),
    ),
    Column("final_evaluation_fy", v.fiscal_year, aliases=("事後評価年度", "終了評価年度", "事後評価の年度")),
)


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
            # Nor between local governments: 広島市 is not a part of 東広島市.
            if (
                a.kind == b.kind
                and a.kind != OrgKind.LOCAL_GOVERNMENT
                and len(a.key) >= 3
                and len(b.key) >= 3
                and (a.key in b.key or b.key in a.key)
            ):
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
