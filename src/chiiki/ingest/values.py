"""Cell parsers: each returns a Python value or raises :class:`~chiiki.ingest.messages.InvalidValue`
(a ValueError carrying a message code) with a reason a user can act on."""

from __future__ import annotations

import re
from functools import lru_cache

from chiiki.ingest.eras import parse_fiscal_year
from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.normalize import nfkc
from chiiki.ingest.places import canonical_prefecture

GRADES = ("S", "A", "B", "C", "D", "-")
_BUDGET_UNITS = {
    "億円": 100.0,
    "百万円": 1.0,
    "万円": 0.01,
    "千円": 0.001,
    "円": 0.000001,
    "億": 100.0,
    "百万": 1.0,
    "万": 0.01,
}
_NUMBER_RE = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out or None


@lru_cache(maxsize=4096)
def _fy_cached(value: str) -> int | None:
    return parse_fiscal_year(value)


def fiscal_year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _fy_cached(value)
    return parse_fiscal_year(value)


@lru_cache(maxsize=256)
def _grade_cached(value: str) -> str | None:
    g = nfkc(value).strip().upper()
    if not g:
        return None
    if g in ("ー", "—", "–", "―"):
        g = "-"
    if g not in GRADES:
        raise InvalidValue("ingest.unknown_grade", value, expected=", ".join(GRADES))
    return g


def grade(value: object) -> str | None:
    if value is None:
        return None
    return _grade_cached(str(value))


def non_negative_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue("ingest.not_a_count", value)
    if isinstance(value, int):
        number = value
    else:
        s = nfkc(str(value)).replace(",", "").strip()
        s = s.removesuffix("社").removesuffix("機関").removesuffix("年").removesuffix("件")
        if s.endswith(".0"):
            s = s[:-2]
        if not s.isdigit():
            raise InvalidValue("ingest.not_whole_number", value)
        number = int(s)
    if number < 0:
        raise InvalidValue("ingest.negative_count", value)
    return number


def million_yen(value: object) -> float | None:
    """Amounts in 百万円; '8.4億円', '840百万円', '1,200' (百万円 assumed) are accepted."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue("ingest.not_an_amount", value)
    if isinstance(value, int | float):
        amount = float(value)
    else:
        s = nfkc(str(value)).replace(",", "").replace(" ", "").lstrip("約~")
        factor = 1.0
        for unit, f in _BUDGET_UNITS.items():
            if s.endswith(unit):
                s, factor = s[: -len(unit)], f
                break
        if not _NUMBER_RE.match(s):
            raise InvalidValue("ingest.not_an_amount", value)
        amount = float(s) * factor
    if amount < 0:
        raise InvalidValue("ingest.negative_amount", value)
    return amount


# How a prefecture cell lists several: 岩手県、宮城県 / 岩手県・宮城県 / 岩手/宮城 / 岩手 宮城 / 愛知県; 岐阜県
_PLACE_SEPARATORS = frozenset("、,;/・") | frozenset(" \t\n\r\u3000")
_EMPTY_PLACES = frozenset({"-", "—", "―", "ー", "−"})
PREFECTURE_JOIN = "; "  # as the bundled adoptions.csv and split_list() have it


def _place_items(text: str) -> list[tuple[str, str | None]]:
    """(name, remark) pairs of a place cell: separators split only outside parentheses, and a
    parenthesised remark stays with the name before it ('愛知県 (proposer per page)')."""
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if depth == 0 and ch in _PLACE_SEPARATORS:
            if buf:
                parts.append("".join(buf))
                buf = []
            continue
        buf.append(ch)
    if buf:
        parts.append("".join(buf))
    items: list[tuple[str, str | None]] = []
    for part in parts:
        name, _, rest = part.partition("(")
        remark = rest[:-1].strip() if rest.endswith(")") else (rest.strip() or None)
        name = name.strip()
        if not name and remark and items:  # '愛知県 (remark)': the remark of the name before it
            items[-1] = (items[-1][0], remark)
        elif name and name not in _EMPTY_PLACES:
            items.append((name, remark or None))
    return items


@lru_cache(maxsize=4096)
def _prefectures_cached(value: str) -> str | None:
    items = _place_items(nfkc(value).strip())
    out: list[str] = []
    for name, remark in items:
        pref = canonical_prefecture(name)
        if pref is None:
            if len(items) == 1:  # the cell is the name: the row error shows it once
                raise InvalidValue("ingest.not_a_prefecture", value)
            raise InvalidValue("ingest.not_a_prefecture_in", value, name=name)
        item = f"{pref} ({remark})" if remark else pref
        if item not in out:
            out.append(item)
    return PREFECTURE_JOIN.join(out) or None


def prefectures(value: object) -> str | None:
    """A 都道府県 cell as official names joined by ``; `` (岩手・東京 → 岩手県; 東京都).

    Separators 、 ・ / ／ , ; and spaces; a remark in parentheses is kept with its prefecture.
    A name that is not one of the 47 (a region such as 北部九州, a typo) is refused with the name,
    never turned into something else: areas belong in エリア名."""
    cell = text(value)
    if cell is None:
        return None
    return _prefectures_cached(cell)


def prefecture(value: object) -> str | None:
    """One prefecture (an organization's), in its official name."""
    out = prefectures(value)
    if out is not None and PREFECTURE_JOIN in out:
        raise InvalidValue("ingest.one_prefecture", value, n=out.count(PREFECTURE_JOIN) + 1)
    return out


# Words people write for the model's code lists (organization kinds, roles, …), keyed by the
# code list's class name in chiiki.model.enums. Besides these, the code itself and its label in
# every language (the catalogue's, as shown) are accepted: see ``chiiki.model.enums.parse_code``.
CODE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "OrgKind": {
        "university": ("大学", "大学等", "国立大学", "公立大学", "私立大学", "高専", "高等専門学校", "大学等研究機関"),
        "national_research_institute": ("国研", "国立研究機関", "国立研究開発法人", "独立行政法人", "研究開発法人"),
        "public_research_institute": ("公設試", "公設試験研究機関", "公設研究機関", "公設試験場", "工業技術センター"),
        "local_government": ("自治体", "地方自治体", "地方公共団体", "都道府県", "市町村", "県", "市", "町", "村"),
        "company": ("企業", "民間企業", "会社", "株式会社", "中小企業", "大企業"),
        "foundation": ("財団", "財団法人", "公益財団法人", "一般財団法人", "産業振興財団", "産業支援機関"),
        "financial_institution": ("金融機関", "金融機関・VC", "銀行", "信用金庫", "VC", "ベンチャーキャピタル"),
        "other": ("その他", "その他の機関"),
    },
    "ParticipationRole": {
        "applicant": ("提案者", "申請者", "提案自治体", "申請自治体", "申請機関"),
        "core": ("中核機関", "中核", "総合調整機関"),
        "participating": ("参画機関", "参画", "参加機関", "参加", "参画企業", "参画大学"),
    },
    "PersonRole": {
        "program_director": ("事業総括", "事業PD", "PD", "プログラムディレクター"),
        "lead_researcher": ("中心研究者", "研究統括", "研究代表者"),
        "coordinator": ("コーディネーター", "コーディネータ", "科学技術コーディネーター"),
        "other": ("その他",),
    },
    "EventKind": {
        "successor_adoption": ("後継事業", "後継事業の採択", "後継採択"),
        "regional_budget": ("地域の独自予算", "地域独自予算", "独自予算", "自治体予算"),
        "hub_organization": ("拠点組織", "拠点法人"),
        "other": ("その他",),
    },
    "LinkBasis": {
        "stated": ("明記", "資料に明記"),
        "manual": ("手動", "手作業"),
        "rule": ("規則", "ルール"),
        "reject": ("却下", "否定"),
    },
    "ConsentStatus": {
        "obtained": ("同意取得済み", "同意済み", "同意取得", "同意あり"),
        "pending": ("確認中", "保留", "未確認"),
        "refused": ("同意なし", "拒否", "不同意"),
        "not_needed": ("不要", "同意不要"),
    },
    "SourceType": {
        "transcript": ("逐語録", "文字起こし", "書き起こし", "トランスクリプト"),
        "notes": ("メモ", "聞き取りメモ", "記録"),
        "questionnaire": ("アンケート", "質問票", "調査票"),
        "evaluation_comment": ("評価コメント", "評価所見", "所見"),
        "report": ("報告書", "レポート"),
        "other": ("その他",),
    },
}
