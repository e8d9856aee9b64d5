"""The closed value sets: enums with the stored values, validate(), and CHECK constraints that make
the database itself refuse a value outside the set, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import json

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from chiiki.model.db import get_engine
from chiiki.model.enums import (
    ConsentStatus,
    EventKind,
    LinkBasis,
    OrgKind,
    ParticipationRole,
    PersonRole,
    SourceType,
    validate,
    values,
)
from chiiki.model.hearings import CONSENT_STATUSES, SOURCE_TYPES, Document, Hearing
from chiiki.model.migrate import ensure_schema
from chiiki.model.registry import (
    EVENT_KINDS,
    LINK_BASES,
    ORG_KINDS,
    PARTICIPATION_ROLES,
    Adoption,
    AdoptionPerson,
    LineageLink,
    Organization,
    Participation,
    Person,
    PostProgramEvent,
    Program,
)


def test_stored_values_are_those_of_the_first_release() -> None:
    assert values(OrgKind) == (
        "university",
        "national_research_institute",
        "public_research_institute",
        "local_government",
        "company",
        "foundation",
        "financial_institution",
        "other",
    )
    assert values(ParticipationRole) == ("applicant", "core", "participating")
    assert values(PersonRole) == ("program_director", "lead_researcher", "coordinator", "other")
    assert values(EventKind) == ("successor_adoption", "regional_budget", "hub_organization", "other")
    assert values(LinkBasis) == ("stated", "manual", "rule", "reject")
    assert values(ConsentStatus) == ("obtained", "pending", "refused", "not_needed")
    assert values(SourceType) == ("transcript", "notes", "questionnaire", "evaluation_comment", "report", "other")
    # the tuples other modules import are the same values
    assert ORG_KINDS == values(OrgKind) and PARTICIPATION_ROLES == values(ParticipationRole)
    assert EVENT_KINDS == values(EventKind) and LINK_BASES == values(LinkBasis)
    assert CONSENT_STATUSES == values(ConsentStatus) and SOURCE_TYPES == values(SourceType)


def test_the_migration_checks_the_same_values() -> None:
    """The CHECKs of migration 20261201_01 copy the enums; changing an enum needs a migration."""
    migration = importlib.import_module("chiiki.model.migrations.versions.20261201_01_value_checks")
    by_column = {(t, c): allowed for t, c, allowed in migration.CHECKS}
    assert by_column == {
        ("organizations", "kind"): values(OrgKind),
        ("participations", "role"): values(ParticipationRole),
        ("adoption_people", "role"): values(PersonRole),
        ("post_program_events", "kind"): values(EventKind),
        ("lineage_links", "basis"): values(LinkBasis),
        ("hearings", "consent"): values(ConsentStatus),
        ("documents", "source_type"): values(SourceType),
    }


def test_validate_returns_the_stored_value() -> None:
    assert validate(OrgKind, "company") == "company"
    assert validate(OrgKind, " company ") == "company"
    assert validate(LinkBasis, LinkBasis.REJECT) == "reject"
    result = validate(SourceType, "transcript")
    assert type(result) is str and json.dumps(result) == '"transcript"'
    assert OrgKind.COMPANY == "company"  # members are their stored strings


@pytest.mark.parametrize("bad", ["Company", "kaisha", "", None, 3, "company;other"])
def test_validate_names_the_allowed_values(bad: object) -> None:
    with pytest.raises(ValueError) as err:
        validate(OrgKind, bad)
    text = str(err.value)
    assert "org kind" in text and repr(bad) in text
    assert all(v in text for v in values(OrgKind))


def test_validate_error_per_enum() -> None:
    with pytest.raises(ValueError, match=r"unknown consent status 'yes' \(expected one of obtained, pending"):
        validate(ConsentStatus, "yes")
    with pytest.raises(ValueError, match="unknown link basis 'auto'"):
        validate(LinkBasis, "auto")


CASES = [
    (Organization, {"key": "k2", "name": "N"}, "kind", OrgKind.COMPANY),
    (Participation, {"adoption_id": "A", "organization_id": 100}, "role", ParticipationRole.CORE),
    (AdoptionPerson, {"adoption_id": "A", "person_id": 100}, "role", PersonRole.COORDINATOR),
    (PostProgramEvent, {"adoption_id": "A", "description": "d"}, "kind", EventKind.REGIONAL_BUDGET),
    (LineageLink, {"from_adoption_id": "A", "to_adoption_id": "B", "rule": "r", "stated": False}, "basis", "manual"),
    (Hearing, {"key": "h", "title": "t", "is_sample": False}, "consent", ConsentStatus.OBTAINED),
    (
        Document,
        {"key": "d", "title": "t", "text": "x", "is_sample": False, "contains_personal_data": False},
        "source_type",
        "notes",
    ),
]


@pytest.mark.parametrize(("model", "row", "column", "good"), CASES, ids=[c[0].__tablename__ for c in CASES])
def test_the_database_refuses_a_value_outside_the_set(db_url: str, model, row, column, good) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine(db_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(insert(Program.__table__), {"id": "P", "name_ja": "p"})
        conn.execute(insert(Adoption.__table__), [{"id": "A", "program_id": "P"}, {"id": "B", "program_id": "P"}])
        conn.execute(insert(Organization.__table__), {"id": 100, "key": "k", "name": "K", "kind": "other"})
        conn.execute(insert(Person.__table__), {"id": 100, "key": "p", "name": "P"})
    table = model.__table__
    with pytest.raises(IntegrityError) as refused, engine.begin() as conn:
        conn.execute(insert(table), {**row, column: "bogus"})
    assert f"ck_{table.name}_{column}" in str(refused.value.orig)  # the named constraint refused it
    with engine.begin() as conn:
        conn.execute(insert(table), {**row, column: good})


@pytest.mark.parametrize(
    ("enum", "text", "code"),
    [
        (OrgKind, "財団", "foundation"),
        (OrgKind, "公設試", "public_research_institute"),
        (OrgKind, "大学", "university"),
        (OrgKind, "企業", "company"),
        (OrgKind, "自治体", "local_government"),
        (OrgKind, "金融機関・VC", "financial_institution"),
        (OrgKind, "Public Research Institute", "public_research_institute"),
        (OrgKind, "ＦＯＵＮＤＡＴＩＯＮ", "foundation"),
        (OrgKind, " company ", "company"),
        (ParticipationRole, "参画機関", "participating"),
        (ParticipationRole, "中核機関", "core"),
        (ParticipationRole, "提案者", "applicant"),
        (ParticipationRole, "申請者", "applicant"),
        (PersonRole, "事業総括", "program_director"),
        (EventKind, "後継事業の採択", "successor_adoption"),
        (LinkBasis, "資料に明記", "stated"),
        (ConsentStatus, "同意取得済み", "obtained"),
        (SourceType, "逐語録", "transcript"),
        (SourceType, "evaluation comment", "evaluation_comment"),
    ],
)
def test_parse_code_accepts_codes_labels_and_synonyms(enum: type, text: str, code: str) -> None:
    from chiiki.model.enums import parse_code

    assert parse_code(enum, text) == code


def test_every_label_shown_is_accepted_in_both_languages() -> None:
    from chiiki.model.enums import LABELS, labels, parse_code

    for enum in LABELS:
        assert set(labels(enum, "ja")) == set(values(enum))
        for lang in ("ja", "en"):
            for code, label in labels(enum, lang).items():
                assert parse_code(enum, label) == code, (enum, lang, label)
    assert labels(OrgKind, "ja")["foundation"] == "財団" and labels(OrgKind, "en")["foundation"] == "foundation"
    # the labels the registry already shows for events and links are the same words
    from chiiki.i18n import msg as message
    from chiiki.i18n import render

    assert labels(EventKind, "ja")["successor_adoption"] == render(message("registry.event.successor_adoption"), "ja")
    assert labels(LinkBasis, "ja")["stated"] == render(message("registry.basis.stated"), "ja")


def test_parse_code_refuses_an_unknown_word_listing_the_labels() -> None:
    from chiiki.i18n import render
    from chiiki.ingest.messages import InvalidValue
    from chiiki.model.enums import parse_code

    assert parse_code(OrgKind, None) is None and parse_code(OrgKind, "  ") is None
    with pytest.raises(InvalidValue) as exc:
        parse_code(OrgKind, "宇宙人")
    m = exc.value.message
    assert m.code == "ingest.unknown_code" and m.params["value"] == "宇宙人"
    assert "財団" in m.params["accepted"] and "foundation" in m.params["accepted"]
    assert render(m, "ja").startswith("機関種別") and render(m, "en").startswith("unknown organization kind")
    json.dumps(m.to_dict(), ensure_ascii=False)
