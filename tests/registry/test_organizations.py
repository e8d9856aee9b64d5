"""The organization kind rules (`registry.organizations.guess_kind`), on which hypothesis H2 rests:
H2 counts the kinds of partner besides universities (local government, company, foundation,
public research institute), so a name put in the wrong kind moves the verdict.

The first table holds names exactly as the bundled registry's cells give them; the second holds
the forms the rules must also get right (公設試, 財団法人 forms, 地方独立行政法人, 株式会社 forms,
prefectural and municipal governments, banks and other financial institutions).
"""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from chiiki.model.db import session_scope
from chiiki.model.enums import OrgKind, values
from chiiki.model.registry import Organization
from chiiki.registry.bundled import bundled_dir
from chiiki.registry.organizations import guess_kind, likely_duplicates, names_in_cell

U, N, P, L, C, F, B, X = (
    OrgKind.UNIVERSITY,
    OrgKind.NATIONAL_RESEARCH_INSTITUTE,
    OrgKind.PUBLIC_RESEARCH_INSTITUTE,
    OrgKind.LOCAL_GOVERNMENT,
    OrgKind.COMPANY,
    OrgKind.FOUNDATION,
    OrgKind.FINANCIAL_INSTITUTION,
    OrgKind.OTHER,
)

BUNDLED = [
    ("株式会社インテリジェント・コスモス研究機構", C),  # a 株式会社 although called 研究機構
    ("財団法人岐阜県研究開発財団", F),  # a foundation although its name has 県 and 研究
    ("財団法人浜松地域テクノポリス推進機構", F),
    ("公益財団法人科学技術交流財団", F),
    ("公益財団法人栃木県産業振興センター", F),
    ("財団法人山形県企業振興公社", F),
    ("一般社団法人つくばグローバル・イノベーション推進機構", F),
    ("産業技術総合研究所", N),
    ("産総研", N),
    ("宮城県産業技術総合センター", P),
    ("北海道立工業技術センター", P),
    ("徳島県立工業技術センター", P),
    ("宮崎県水産試験場", P),
    ("沖縄県衛生環境研究所", P),
    ("岐阜県機械材料研究所", P),
    ("地方独立行政法人山口県産業技術センター", P),
    ("地方独立行政法人神奈川県立産業技術総合研究所", P),  # not AIST: a prefecture's institute
    ("北海道大学大学院水産科学研究院", U),
    ("八戸工業高等専門学校", U),
    ("光産業創成大学院大学", U),
    ("山陽小野田市立山口東京理科大学", U),
    ("国立大学法人東京工業大学", U),
]

EDGE = [
    # 公設試 (prefectural and municipal research and testing centres)
    ("長野県工業技術総合センター", P),
    ("石川県工業試験場", P),
    ("名古屋市工業研究所", P),
    ("大阪府立産業技術総合研究所", P),
    ("東京都立産業技術研究センター", P),
    ("公設試験研究機関", P),
    # 地方独立行政法人 forms: a prefecture's own institute, whatever its name says
    ("地方独立行政法人北海道立総合研究機構", P),
    ("(地独)大阪産業技術研究所", P),
    ("（地独）神奈川県立総合産業技術研究所（KISTEC）", P),
    ("地方独立行政法人 大阪府立病院機構", F),  # a hospital body is no 公設試; its 機構 gives the nearest kind
    # universities before institutes: a university's 研究所 is the university's
    ("北海道大学触媒科学研究所", U),
    ("慶應義塾大学 先端生命科学研究所", U),
    ("北九州市立大学", U),
    ("京都府立医科大学", U),
    ("公立大学法人 会津大学", U),
    # national research and development agencies
    ("国立研究開発法人産業技術総合研究所", N),
    ("産業技術総合研究所 東北センター", N),
    ("国立研究開発法人 理化学研究所", N),
    ("科学技術振興機構", N),
    # 財団法人 forms (before and after the 2008 reform, abbreviated)
    ("(財)岐阜県研究開発財団", F),
    ("（公財）福岡県産業・科学技術振興財団", F),
    ("一般財団法人 日本自動車研究所", F),
    ("公益財団法人 長野県テクノ財団", F),
    ("㈶くまもとテクノ産業財団", F),
    ("いわて産業振興センター", F),
    ("(一社)みやぎ工業会", F),
    ("信州メディカル産業振興会", F),
    # 株式会社 forms
    ("㈱久留米リサーチ・パーク", C),
    ("（株）Kyulux", C),
    ("テスト(株)", C),
    ("有限会社テスト", C),
    ("合同会社テスト", C),
    ("Kyulux Inc.", C),
    ("Incubation Center", X),  # "Inc" inside a word is no company
    # governments
    ("宮城県", L),
    ("北海道", L),
    ("東京都", L),
    ("京都府", L),
    ("鶴岡市", L),
    ("南アルプス市", L),
    ("いちき串木野市", L),
    ("神石高原町", L),
    ("東京都港区", L),
    ("山形県庁", L),
    ("鶴岡市役所", L),
    ("宮城県経済商工観光部", L),
    # 金融機関: banks, 信用金庫, public lenders, venture capital (a bank is a 株式会社 too)
    ("株式会社日本政策投資銀行", B),
    ("七十七銀行", B),
    ("株式会社みずほ銀行", B),
    ("京都信用金庫", B),
    ("東京東信用組合", B),
    ("日本政策金融公庫", B),
    ("中小企業投資育成株式会社", B),
    ("東北大学ベンチャーパートナーズ株式会社", B),  # a VC, not the university
    ("みやぎ地域連携ファンド", B),
    # nothing to go on
    ("トヨタ自動車", X),
    ("一般社団法人 鶴岡サイエンスパーク", X),
]


def _bundled_names() -> set[str]:
    names: set[str] = set()
    with (bundled_dir() / "adoptions.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            for n in names_in_cell(row["core_institution"], "core", "core_institution") + names_in_cell(
                row["universities"], "participating", "universities"
            ):
                names.add(n.name)
    return names


def test_the_bundled_names_are_real() -> None:
    real = _bundled_names()
    assert [name for name, _ in BUNDLED if name not in real] == []


@pytest.mark.parametrize(("name", "kind"), BUNDLED + EDGE, ids=[n for n, _ in BUNDLED + EDGE])
def test_guess_kind(name: str, kind: OrgKind) -> None:
    got = guess_kind(name)
    assert got == kind.value
    assert type(got) is str  # the stored value, not an enum member


def test_every_bundled_name_gets_a_stored_kind() -> None:
    assert {guess_kind(n) for n in _bundled_names()} <= set(values(OrgKind))


def test_names_in_cell_roles_and_remarks() -> None:
    cell = "山口大学 (提案機関); 山口東京理科大学 (+ 県産業技術センター, 宇部興産(株))"
    named = names_in_cell(cell, "core", "core_institution")
    assert [(n.name, n.role) for n in named] == [
        ("山口大学", "core"),
        ("山口東京理科大学", "participating"),
        ("宇部興産株式会社", "participating"),
    ]
    # "県…" names no body by itself (which 県?) and a description is no name: nothing is guessed
    assert names_in_cell("県産業技術センター", "participating", "universities") == []
    assert names_in_cell("astf.or.jp の財団", "core", "core_institution") == []


def test_derived_organizations_and_duplicates(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        kinds = {o.name: o.kind for o in s.scalars(select(Organization))}
        assert set(kinds.values()) <= set(values(OrgKind))
        assert kinds["宮城県産業技術総合センター"] == "public_research_institute"
        assert kinds["株式会社インテリジェント・コスモス研究機構"] == "company"
        pairs = {(d.a, d.b) for d in likely_duplicates(s)}
        assert ("山口大学", "山口大学 工学部") in pairs
        # containment across kinds is no duplicate
        assert not any("宮城県" == a and "宮城県産業技術総合センター" == b for a, b in pairs)
