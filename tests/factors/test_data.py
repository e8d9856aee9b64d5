"""Loading the analysis frames from a real database, and the demo round trip."""

from __future__ import annotations

import pytest

from chiiki.factors.data import data_hash, load_analysis_data
from chiiki.factors.demo import generate_demo, write_demo_database
from chiiki.factors.errors import DemoDatabaseError
from chiiki.model.db import get_engine, session_scope
from chiiki.model.migrate import create_schema
from chiiki.model.registry import (
    Adoption,
    Hub,
    LineageLink,
    Organization,
    Participation,
    PostProgramEvent,
    Program,
)


def _small_registry(url: str) -> None:
    create_schema(get_engine(url))
    with session_scope(url) as s:
        s.add_all(
            [
                Program(id="KC1", name_ja="知的クラスター創成事業(第I期)", family="KC"),
                Program(id="X1", name_ja="familyなし"),
                Hub(id=7, key="sapporo", name="札幌"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Adoption(
                    id="KC1-2002-sapporo",
                    program_id="KC1",
                    hub_id=7,
                    start_fy=2002,
                    end_fy=2006,
                    final_grade="S",
                    prefectures="北海道、札幌市",
                ),
                Adoption(id="X1-2008", program_id="X1", hub_id=7, start_fy=2008, end_fy=2010),
                Organization(id=1, key="hokudai", name="北海道大学", kind="university"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Participation(adoption_id="KC1-2002-sapporo", organization_id=1, role="core"),
                LineageLink(
                    from_adoption_id="KC1-2002-sapporo", to_adoption_id="X1-2008", basis="stated", rule="page says so"
                ),
                PostProgramEvent(adoption_id="X1-2008", kind="regional_budget", fy=2012, description="道の予算"),
            ]
        )


def test_load_analysis_data(db_url: str) -> None:
    _small_registry(db_url)
    with session_scope(db_url) as s:
        data = load_analysis_data(s)
    ad = data.adoptions.set_index("adoption_id")
    assert ad.loc["KC1-2002-sapporo", "program_family"] == "KC"
    assert ad.loc["X1-2008", "program_family"] == "X1"  # no family: the program itself
    assert ad.loc["X1-2008", "hub_id"] == 7 and str(ad["hub_id"].dtype) == "Int64"
    assert data.participations.iloc[0].to_dict() == {
        "adoption_id": "KC1-2002-sapporo",
        "organization_id": 1,
        "organization_name": "北海道大学",
        "kind": "university",
        "role": "core",
    }
    assert data.links.values.tolist() == [["KC1-2002-sapporo", "X1-2008", "stated"]]
    assert data.events.values.tolist() == [["X1-2008", "regional_budget", 2012]]
    assert data.cutoff_fy == 2012  # latest FY present (the event)
    with session_scope(db_url) as s:
        assert load_analysis_data(s, cutoff_fy=2030).cutoff_fy == 2030


def test_demo_round_trip_gives_the_same_analysis(db_url: str) -> None:
    data = generate_demo(seed=5, n=120)
    counts = write_demo_database(data, db_url)
    assert counts["adoptions"] == 120
    with session_scope(db_url) as s:
        back = load_analysis_data(s)
    assert data_hash(back) == data_hash(data)
    assert back.cutoff_fy == data.cutoff_fy
    for name, frame in data.frames().items():
        assert back.frames()[name].equals(frame), name


def test_demo_refuses_a_database_with_data(db_url: str) -> None:
    _small_registry(db_url)
    with pytest.raises(DemoDatabaseError) as err:
        write_demo_database(generate_demo(seed=1, n=20), db_url)
    assert err.value.message.code == "factors.demo_not_empty" and err.value.message.params == {"n": 2}
    assert "not synthetic" in str(err.value)


def test_demo_refuses_to_write_twice(sqlite_url: str) -> None:
    write_demo_database(generate_demo(seed=1, n=20), sqlite_url)
    with pytest.raises(DemoDatabaseError) as err:
        write_demo_database(generate_demo(seed=2, n=20), sqlite_url)
    assert err.value.message.code == "factors.demo_exists" and err.value.message.params == {"n": 20}


def test_hash_ignores_row_order_but_not_content() -> None:
    data = generate_demo(seed=2, n=40)
    shuffled = type(data)(
        adoptions=data.adoptions.sample(frac=1, random_state=1),
        participations=data.participations.sample(frac=1, random_state=1),
        links=data.links,
        events=data.events,
        cutoff_fy=data.cutoff_fy,
    )
    assert data_hash(shuffled) == data_hash(data)
    changed = data.adoptions.copy()
    changed.loc[0, "final_grade"] = "C" if changed.loc[0, "final_grade"] != "C" else "S"
    assert data_hash(type(data)(changed, data.participations, data.links, data.events, data.cutoff_fy)) != data_hash(
        data
    )
