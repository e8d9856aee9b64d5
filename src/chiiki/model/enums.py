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
from functools import cache

from sqlalchemy import CheckConstraint

from chiiki.i18n import LANGS, N_, translator


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


class Role(StrEnum):
    """A workbench user's role; admins and researchers alone may see personal data (transcript
    text, interviewee names), the rest see the registry and aggregate results."""

    ADMIN = "admin"
    RESEARCHER = "researcher"
    COORDINATOR = "coordinator"
    EXPERT = "expert"  # a member of the study group (研究会)
    VIEWER = "viewer"


# The label shown for each code (an English msgid; its Japanese is in the catalogue). The event
# and link labels are those the registry's messages already show, so shown = accepted.
LABELS: dict[type[StrEnum], dict[str, str]] = {
    OrgKind: {
        "university": N_("university"),
        "national_research_institute": N_("national research institute"),
        "public_research_institute": N_("public research institute"),
        "local_government": N_("local government"),
        "company": N_("company"),
        "foundation": N_("foundation"),
        "financial_institution": N_("financial institution"),
        "other": N_("other organization"),
    },
    ParticipationRole: {
        "applicant": N_("applicant"),
        "core": N_("core institution"),
        "participating": N_("participating institution"),
    },
    PersonRole: {
        "program_director": N_("program director"),
        "lead_researcher": N_("lead researcher"),
        "coordinator": N_("coordinator"),
        "other": N_("other role"),
    },
    EventKind: {
        "successor_adoption": N_("successor adoption"),
        "regional_budget": N_("regional budget"),
        "hub_organization": N_("hub organization"),
        "other": N_("other event"),
    },
    LinkBasis: {
        "stated": N_("stated in a source"),
        "manual": N_("manual"),
        "rule": N_("rule"),
        "reject": N_("rejected"),
    },
    ConsentStatus: {
        "obtained": N_("consent obtained"),
        "pending": N_("consent pending"),
        "refused": N_("consent refused"),
        "not_needed": N_("consent not needed"),
    },
    SourceType: {
        "transcript": N_("transcript"),
        "notes": N_("interview notes"),
        "questionnaire": N_("questionnaire"),
        "evaluation_comment": N_("evaluation comment"),
        "report": N_("report"),
        "other": N_("other text"),
    },
    Role: {
        "admin": N_("administrator"),
        "researcher": N_("researcher"),
        "coordinator": N_("coordinator"),
        "expert": N_("expert (study group)"),
        "viewer": N_("viewer"),
    },
}


def labels(enum: type[StrEnum], lang: str) -> dict[str, str]:
    """Code → label in ``lang`` (``labels(OrgKind, "ja")["foundation"] == "財団"``)."""
    t = translator(lang)
    return {code: t.gettext(label) for code, label in LABELS[enum].items()}


# spaces, underscores, hyphens and the middle dot (U+30FB) do not tell two words apart
_DROP = {ord(ch): None for ch in (" ", "\t", "_", "-", chr(0x30FB))}


def _key(text: str) -> str:
    from chiiki.ingest.normalize import nfkc

    return nfkc(text).strip().casefold().translate(_DROP)


@cache
def _lookup(enum: type[StrEnum]) -> dict[str, str]:
    """Every accepted spelling (normalized) → code: the code, each language's label, synonyms."""
    from chiiki.ingest.values import CODE_SYNONYMS

    table: dict[str, str] = {}
    for code in values(enum):
        words = [code, *(labels(enum, lang)[code] for lang in LANGS)]
        words += CODE_SYNONYMS.get(enum.__name__, {}).get(code, ())
        for word in words:
            table.setdefault(_key(word), code)
    return table


def parse_code(enum: type[StrEnum], value: object) -> str | None:
    """The stored code ``value`` names: the code itself, its label in any language or a synonym
    (財団, 公設試, 参画機関, …), compared after NFKC without case, spaces or underscores.

    None for an empty cell; an unknown word raises ``chiiki.ingest.messages.InvalidValue``
    whose message lists the accepted labels."""
    from chiiki.ingest.messages import InvalidValue

    if value is None:
        return None
    if isinstance(value, StrEnum):
        value = value.value
    text = str(value).strip()
    if not text:
        return None
    code = _lookup(enum).get(_key(text))
    if code is None:
        ja = labels(enum, "ja")
        accepted = ", ".join(f"{c} ({ja[c]})" for c in values(enum))
        kind = {"code": f"ingest.code_list.{_label(enum).replace(' ', '_')}", "params": {}}
        raise InvalidValue("ingest.unknown_code", value, kind=kind, accepted=accepted, expected=", ".join(values(enum)))
    return code


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
    "Role",
    "SourceType",
    "check",
    "labels",
    "parse_code",
    "validate",
    "values",
]
