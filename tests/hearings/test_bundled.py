"""The report's Table 1 records load, link to hubs and keep the report's wording."""

from __future__ import annotations

from sqlalchemy import func, select

from chiiki.hearings.bundled import load_bundled_hearings
from chiiki.hearings.records import link_hearing_hubs, list_hearings
from chiiki.model.db import session_scope
from chiiki.model.hearings import (
    Document,
    Hearing,
    HearingHub,
    HearingOrganization,
    InterviewGuide,
)
from chiiki.model.registry import Adoption, Hub, Organization

TABLE1 = {
    "2023-11-kanagawa": ["（地独）神奈川県立総合産業技術研究所（KISTEC）"],
    "2024-09-tsuruoka": [
        "山形県",
        "公益財団法人 庄内地域産業振興センター バイオ産業推進室",
        "慶應義塾大学 先端生命科学研究所",
        "鶴岡市",
        "一般社団法人 鶴岡サイエンスパーク",
    ],
    "2024-10-miyagi": [
        "宮城県",
        "東北大学",
        "一般社団法人みやぎ工業会",
        "宮城県産業技術総合センター",
    ],
    "2024-11-fukuoka": [
        "福岡県",
        "久留米大学",
        "九州大学",
        "公益財団法人 福岡県産業・科学技術振興財団（ふくおか IST）",
        "（株）久留米リサーチ・パーク",
        "(株)Kyulux",
        "福岡県工業技術センター生物食品研究所",
    ],
}


def test_four_hearings_with_table1_organizations_and_months(loaded: str) -> None:
    with session_scope(loaded) as s:
        hearings = {h.key: h for h in s.scalars(select(Hearing))}
        assert set(hearings) == set(TABLE1)
        for key, names in TABLE1.items():
            assert [o.name_as_written for o in hearings[key].organizations] == names
        assert hearings["2023-11-kanagawa"].date_label == "2023-11"
        assert hearings["2024-09-tsuruoka"].day is None
        assert hearings["2024-11-fukuoka"].region == "福岡地域"
        kinds = {o.name_as_written: o.organization.kind for o in hearings["2024-11-fukuoka"].organizations}
        assert kinds["九州大学"] == "university"
        assert kinds["(株)Kyulux"] == "company"
        assert kinds["福岡県工業技術センター生物食品研究所"] == "public_research_institute"
        assert kinds["福岡県"] == "local_government"
        assert all(h.source.startswith("R5-588") for h in hearings.values())
        guide = s.scalar(select(InterviewGuide))
        assert [q.order for q in guide.questions] == [1, 2, 3]
        assert guide.questions[1].text == "産業振興機関（財団）によるコーディネート人材・活動の実績"
        assert all(q.text_en for q in guide.questions)


def test_hearings_link_to_hubs_of_their_adoptions(loaded: str) -> None:
    with session_scope(loaded) as s:
        h = s.scalar(select(Hearing).where(Hearing.key == "2024-11-fukuoka"))
        hub_keys = sorted(s.get(Hub, link.hub_id).key for link in h.hubs)
        assert hub_keys == ["fukuoka", "kurume"]
        assert sorted(a.adoption_id for a in h.adoptions) == [
            "KC1-2002-fukuoka",
            "KC2-2007-fukuoka",
            "KC2-2009-kurume",
        ]
        rows = {r["key"]: r for r in list_hearings(s)}
        assert rows["2024-10-miyagi"]["hubs"] == ["miyagi hub"]
        assert rows["2024-11-fukuoka"]["organizations"] == TABLE1["2024-11-fukuoka"]


def test_loading_twice_changes_nothing(loaded: str) -> None:
    def counts(s):
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (Hearing, HearingOrganization, HearingHub, Document, Organization)
        )

    with session_scope(loaded) as s:
        before = counts(s)
        load_bundled_hearings(s)
        assert counts(s) == before
        assert before[0] == 4 and before[1] == 17 and before[3] == 6


def test_hubs_link_later_when_the_registry_arrives_after(db: str, registry_rows) -> None:
    with session_scope(db) as s:
        first = load_bundled_hearings(s)
        assert first["hub_links"] == 0
        assert len(first["unlinked"]) == 9
        assert {u["status"] for u in first["unlinked"]} == {"missing"}
        assert {w.code for w in first["warnings"]} == {"hearings.adoption_missing"}
        registry_rows(s, with_hubs=False)
        result = link_hearing_hubs(s)
        assert result.n == 0 and set(result.summary["status"]) == {"no_hub"}
        hub = Hub(key="tsuruoka", name="鶴岡")
        s.add(hub)
        s.flush()
        s.get(Adoption, "CA-2009-tsuruoka").hub_id = hub.id
        assert link_hearing_hubs(s).n == 1
        h = s.scalar(select(Hearing).where(Hearing.key == "2024-09-tsuruoka"))
        assert [link.hub_id for link in h.hubs] == [hub.id]


def test_report_documents_are_real_text_of_the_report(loaded: str, report_text: str) -> None:
    with session_scope(loaded) as s:
        docs = {d.key: d for d in s.scalars(select(Document))}
        assert {d.source_type for d in docs.values()} == {"report", "questionnaire"}
        assert not any(d.is_sample for d in docs.values())
        assert docs["r5-588-result-1"].hearing.key == "2024-09-tsuruoka"
        assert docs["r5-588-result-3"].hearing.key == "2024-11-fukuoka"
        assert "約 7,400 名" in docs["r5-588-result-3"].text
        joined = report_text.replace("\n", "")
        for d in docs.values():
            assert d.text in joined, d.key
        for names in TABLE1.values():
            for name in names:
                assert name in joined, name


def test_links_with_the_real_bundled_registry(db: str) -> None:
    """With the lead's registry loader, every listed adoption exists and has a hub."""
    import pytest

    bundled = pytest.importorskip("chiiki.registry.bundled")
    with session_scope(db) as s:
        bundled.load_bundled(s)
        result = load_bundled_hearings(s)
        assert result["unlinked"] == [] and result["hub_links"] == 9
        for h in s.scalars(select(Hearing)):
            assert h.hubs, h.key
