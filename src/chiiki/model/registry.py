"""Registry tables: programs, adoptions (selections), hubs, organizations, people, outcomes.

Text columns that hold a list as written on the source page (``prefectures``,
``municipalities``, ``universities``) keep the page's wording for display and round-trip; the
normalized, queryable form lives in :class:`Participation` rows and in helper properties.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chiiki.model.base import Base
from chiiki.model.enums import EventKind, LinkBasis, OrgKind, ParticipationRole, PersonRole, check, values

# The closed value sets live in chiiki.model.enums; these tuples of stored values are kept for
# code that imported them from here.
ORG_KINDS = values(OrgKind)
PARTICIPATION_ROLES = values(ParticipationRole)
PERSON_ROLES = values(PersonRole)
EVENT_KINDS = values(EventKind)
LINK_BASES = values(LinkBasis)  # reject: never link this pair


class ParticipantsRecorded(StrEnum):
    """How completely a source lists an adoption's participants (``Adoption.participants_recorded``).

    NULL means the source does not say; it is not "partial": the analysis tells a stakeholder
    factor that is absent from one that is merely unrecorded (issue 8, "missing is not absent").
    Kept next to the column rather than in :mod:`chiiki.model.enums` only for the split of
    issue 8's work; its CHECK is ``ck_adoptions_participants_recorded`` (migration 20261202_01).
    """

    COMPLETE = "complete"
    PARTIAL = "partial"


PARTICIPANTS_RECORDED = values(ParticipantsRecorded)


class Program(Base):
    """A national funding scheme (事業), e.g. 知的クラスター創成事業(第I期)."""

    __tablename__ = "programs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_ja: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(Text)
    family: Mapped[str | None] = mapped_column(String(40))
    first_fy: Mapped[int | None] = mapped_column(Integer)
    last_fy: Mapped[int | None] = mapped_column(Integer)
    duration_years: Mapped[str | None] = mapped_column(String(100))
    budget_note: Mapped[str | None] = mapped_column(Text)
    evaluation_scale: Mapped[str | None] = mapped_column(Text)
    predecessor_id: Mapped[str | None] = mapped_column(ForeignKey("programs.id"))
    source_urls: Mapped[str | None] = mapped_column(Text)

    adoptions: Mapped[list[Adoption]] = relationship(back_populates="program")


class Hub(Base):
    """A regional effort (拠点) that may span several adoptions over time."""

    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    prefecture: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    adoptions: Mapped[list[Adoption]] = relationship(back_populates="hub")


class Adoption(Base):
    """One region selected by one program in one round (採択)."""

    __tablename__ = "adoptions"
    __table_args__ = (check("participants_recorded", ParticipantsRecorded, nullable=True),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"), index=True)
    phase: Mapped[str | None] = mapped_column(Text)
    region_name: Mapped[str | None] = mapped_column(String(300))
    prefectures: Mapped[str | None] = mapped_column(String(300))
    municipalities: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    core_institution: Mapped[str | None] = mapped_column(Text)
    start_fy: Mapped[int | None] = mapped_column(Integer, index=True)
    end_fy: Mapped[int | None] = mapped_column(Integer)
    duration_years: Mapped[int | None] = mapped_column(Integer)
    budget_total_million_yen: Mapped[float | None] = mapped_column(Float)
    budget_note: Mapped[str | None] = mapped_column(Text)
    interim_grade: Mapped[str | None] = mapped_column(String(20))
    final_grade: Mapped[str | None] = mapped_column(String(20))
    grade_scale: Mapped[str | None] = mapped_column(String(100))
    universities: Mapped[str | None] = mapped_column(Text)
    n_institutions: Mapped[int | None] = mapped_column(Integer)
    n_companies: Mapped[int | None] = mapped_column(Integer)
    pd_name: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    source_urls: Mapped[str | None] = mapped_column(Text)
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"), index=True)
    # Whether the source lists every participant ("complete") or only some ("partial"); NULL = not
    # stated. Derived participations (the applicants of the place cells) do not change it.
    participants_recorded: Mapped[str | None] = mapped_column(String(20))
    # The FY of the ex-post evaluation (事後評価) that gave final_grade, when a source gives it: the
    # grade is known from then on, so it cannot explain an outcome decided before.
    final_evaluation_fy: Mapped[int | None] = mapped_column(Integer)

    program: Mapped[Program] = relationship(back_populates="adoptions")
    hub: Mapped[Hub | None] = relationship(back_populates="adoptions")
    participations: Mapped[list[Participation]] = relationship(back_populates="adoption", cascade="all, delete-orphan")
    people: Mapped[list[AdoptionPerson]] = relationship(back_populates="adoption", cascade="all, delete-orphan")
    projects: Mapped[list[ResearchProject]] = relationship(back_populates="adoption", cascade="all, delete-orphan")
    events: Mapped[list[PostProgramEvent]] = relationship(
        back_populates="adoption",
        cascade="all, delete-orphan",
        foreign_keys="PostProgramEvent.adoption_id",
    )

    @property
    def prefecture_list(self) -> list[str]:
        from chiiki.ingest.normalize import split_list

        return split_list(self.prefectures)

    @property
    def municipality_list(self) -> list[str]:
        from chiiki.ingest.normalize import split_list

        return split_list(self.municipalities)


class Organization(Base):
    """A university, company, local government, ... with one stable normalized key."""

    __tablename__ = "organizations"
    __table_args__ = (check("kind", OrgKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default=OrgKind.OTHER.value)
    prefecture: Mapped[str | None] = mapped_column(String(100))

    participations: Mapped[list[Participation]] = relationship(back_populates="organization")


class Participation(Base):
    """An organization's role in an adoption (applicant, core, participating)."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("adoption_id", "organization_id", "role"), check("role", ParticipationRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    adoption: Mapped[Adoption] = relationship(back_populates="participations")
    organization: Mapped[Organization] = relationship(back_populates="participations")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    career: Mapped[str | None] = mapped_column(Text)


class AdoptionPerson(Base):
    """A person's role in an adoption, with affiliation and position *at the time* (当時)."""

    __tablename__ = "adoption_people"
    __table_args__ = (UniqueConstraint("adoption_id", "person_id", "role"), check("role", PersonRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    title_on_page: Mapped[str | None] = mapped_column(String(200))
    affiliation_at_time: Mapped[str | None] = mapped_column(String(300))
    position_at_time: Mapped[str | None] = mapped_column(String(200))

    adoption: Mapped[Adoption] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()


class ResearchProject(Base):
    """A research project (研究テーマ) under an adoption, with its lead researcher."""

    __tablename__ = "research_projects"
    __table_args__ = (UniqueConstraint("adoption_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    lead_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    lead_affiliation_at_time: Mapped[str | None] = mapped_column(String(300))
    lead_position_at_time: Mapped[str | None] = mapped_column(String(200))

    adoption: Mapped[Adoption] = relationship(back_populates="projects")
    lead: Mapped[Person | None] = relationship()


class PostProgramEvent(Base):
    """What happened after an adoption ended: the outcomes later analyses use."""

    __tablename__ = "post_program_events"
    __table_args__ = (UniqueConstraint("adoption_id", "kind", "description"), check("kind", EventKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    fy: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    related_adoption_id: Mapped[str | None] = mapped_column(ForeignKey("adoptions.id", ondelete="SET NULL"))
    source_urls: Mapped[str | None] = mapped_column(Text)

    adoption: Mapped[Adoption] = relationship(back_populates="events", foreign_keys=[adoption_id])


class LineageLink(Base):
    """A successor step between two adoptions of one hub, with the rule that made it."""

    __tablename__ = "lineage_links"
    __table_args__ = (UniqueConstraint("from_adoption_id", "to_adoption_id"), check("basis", LinkBasis))

    id: Mapped[int] = mapped_column(primary_key=True)
    from_adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    to_adoption_id: Mapped[str] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"), index=True)
    basis: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(Text)
    stated: Mapped[bool] = mapped_column(Boolean, default=False)
    source_urls: Mapped[str | None] = mapped_column(Text)

    from_adoption: Mapped[Adoption] = relationship(foreign_keys=[from_adoption_id])
    to_adoption: Mapped[Adoption] = relationship(foreign_keys=[to_adoption_id])


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ImportHistory(Base):
    """One import that was written (never a dry run): who, when (naive UTC, written by chiiki),
    which file (its display name and the SHA-256 of its bytes), into which table, and the counts.

    Written in the transaction of the import itself, so a failed import leaves no row and a
    kept import always has one. ``user_name`` is a name, not a key to ``users``: the CLI's
    "local" user has no account, and a later disabled or renamed account keeps its history.
    """

    __tablename__ = "import_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=_utcnow, index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(50))
    rows: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
