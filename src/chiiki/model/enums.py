"""The closed value sets of the model, as ``StrEnum``s.

The values are the English words stored in the database and written in import/export files
since the first release, so old files and databases stay valid. Each column holding one of them
has a CHECK constraint (:func:`check`, named ``ck_<table>_<column>`` by the naming convention in
:mod:`chiiki.model.base`), and every entry point validates with :func:`validate` so a bad value
is refused with the allowed values named, before the database refuses it.

Because they are ``StrEnum``s, members compare equal to their stored strings
(``OrgKind.COMPANY == "company"``) and can be passed wherever a string is expected.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint


class OrgKind(StrEnum):
    """Kinds of organizations (the survey's stakeholder categories)."""

    UNIVERSITY = "university"
    NATIONAL_RESEARCH_INSTITUTE = "national_research_institute"
    PUBLIC_RESEARCH_INSTITUTE = "public_research_institute"  # 公設試
    LOCAL_GOVERNMENT = "local_government"
    COMPANY = "company"
    FOUNDATION = "foundation"  # 財団 / industry promotion body
    FINANCIAL_INSTITUTION = "financial_institution"  # 金融機関・VC
    OTHER = "other"


class ParticipationRole(StrEnum):
    """An organization's role in an adoption."""

    APPLICANT = "applicant"
    CORE = "core"
    PARTICIPATING = "participating"


class PersonRole(StrEnum):
    """A person's role in an adoption."""

    PROGRAM_DIRECTOR = "program_director"
    LEAD_RESEARCHER = "lead_researcher"
    COORDINATOR = "coordinator"
    OTHER = "other"


class EventKind(StrEnum):
    """Kinds of post-program events (the outcomes the factor analysis uses)."""

    SUCCESSOR_ADOPTION = "successor_adoption"
    REGIONAL_BUDGET = "regional_budget"
    HUB_ORGANIZATION = "hub_organization"
    OTHER = "other"


class LinkBasis(StrEnum):
    """Why a lineage link exists; ``reject`` vetoes a pair the rule would link."""

    STATED = "stated"
    MANUAL = "manual"
    RULE = "rule"
    REJECT = "reject"


class ConsentStatus(StrEnum):
    """Consent of a hearing's interviewees to the use of what they said."""

    OBTAINED = "obtained"
    PENDING = "pending"
    REFUSED = "refused"
    NOT_NEEDED = "not_needed"


class SourceType(StrEnum):
    """What kind of text a document is."""

    TRANSCRIPT = "transcript"
    NOTES = "notes"
    QUESTIONNAIRE = "questionnaire"
    EVALUATION_COMMENT = "evaluation_comment"
    REPORT = "report"
    OTHER = "other"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of ``enum``, in declaration order."""
    return tuple(member.value for member in enum)


def validate(enum: type[StrEnum], value: object) -> str:
    """The stored value ``value`` names in ``enum``; a ValueError naming the allowed values otherwise.

    Accepts a member or its stored string (surrounding blanks ignored) and returns the plain
    stored string, ready to be written to the database.
    """
    text = value.value if isinstance(value, StrEnum) else value
    if isinstance(text, str):
        try:
            return str(enum(text.strip()).value)
        except ValueError:
            pass
    raise ValueError(f"unknown {_label(enum)} {value!r} (expected one of {', '.join(values(enum))})")


def check(column: str, enum: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """The CHECK constraint ``<column> IN (...)``, named ``ck_<table>_<column>``."""
    allowed = ", ".join(f"'{v}'" for v in values(enum))
    sql = f"{column} IN ({allowed})"
    if nullable:
        sql = f"{column} IS NULL OR {sql}"
    return CheckConstraint(sql, name=column)


def _label(enum: type[StrEnum]) -> str:
    """``OrgKind`` → ``org kind`` (for the error message)."""
    name = enum.__name__
    return "".join(" " + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


__all__ = [
    "ConsentStatus",
    "EventKind",
    "LinkBasis",
    "OrgKind",
    "ParticipationRole",
    "PersonRole",
    "SourceType",
    "check",
    "validate",
    "values",
]
