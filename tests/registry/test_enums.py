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
