"""Hearing (interview) surveys, their documents and qualitative coding (QDA) tables.

Why these shapes:
- A hearing's date is only as precise as the report gives it (Table 1 says "2023 年 11 月"), so
  year/month/day are separate columns with ``day`` nullable instead of a fake first-of-month date.
- Hearings link to adoption ids as *strings* (no foreign key) because the report names the
  programs a hearing is about before the registry may be loaded; hubs are resolved from those
  adoptions whenever the registry is there (:func:`chiiki.hearings.bundled.link_hearing_hubs`).
- Names of people interviewed and speaker labels are personal data: they live in their own
  columns/tables flagged as such so exports can leave them out by default.
- Coded segments are character offsets into ``documents.text`` (as REFI-QDA's
  ``PlainTextSelection``), so coding survives re-tokenization and round-trips to other QDA tools.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chiiki.model.base import Base
from chiiki.model.enums import ConsentStatus, SourceType, check, values
from chiiki.model.registry import Organization

# Stored values of the closed sets in chiiki.model.enums, kept for code that imported them here.
CONSENT_STATUSES = values(ConsentStatus)
SOURCE_TYPES = values(SourceType)


class InterviewGuide(Base):
    """A reusable question set (調査内容), e.g. the report's three hearing topics."""

    __tablename__ = "hearing_guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(Text)

    questions: Mapped[list[GuideQuestion]] = relationship(
        back_populates="guide", cascade="all, delete-orphan", order_by="GuideQuestion.order"
    )


class GuideQuestion(Base):
    __tablename__ = "hearing_guide_questions"
    __table_args__ = (UniqueConstraint("guide_id", "order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("hearing_guides.id", ondelete="CASCADE"), index=True)
    order: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)

    guide: Mapped[InterviewGuide] = relationship(back_populates="questions")


class Hearing(Base):
    """One hearing visit to a region (ヒアリング調査), possibly several organizations."""

    __tablename__ = "hearings"
    __table_args__ = (check("consent", ConsentStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(200))
    region_en: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    interviewers: Mapped[str | None] = mapped_column(Text)
    guide_id: Mapped[int | None] = mapped_column(ForeignKey("hearing_guides.id", ondelete="SET NULL"))
    consent: Mapped[str] = mapped_column(String(20), default=ConsentStatus.PENDING.value)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)

    guide: Mapped[InterviewGuide | None] = relationship()
    hubs: Mapped[list[HearingHub]] = relationship(back_populates="hearing", cascade="all, delete-orphan")
    adoptions: Mapped[list[HearingAdoption]] = relationship(back_populates="hearing", cascade="all, delete-orphan")
    organizations: Mapped[list[HearingOrganization]] = relationship(
        back_populates="hearing",
        cascade="all, delete-orphan",
        order_by="HearingOrganization.order",
    )
    interviewees: Mapped[list[Interviewee]] = relationship(back_populates="hearing", cascade="all, delete-orphan")
    documents: Mapped[list[Document]] = relationship(back_populates="hearing")

    @property
    def date_label(self) -> str:
        """``2023-11`` or ``2023-11-05``: only the precision the source gives."""
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"


class HearingHub(Base):
    __tablename__ = "hearing_hubs"
    __table_args__ = (UniqueConstraint("hearing_id", "hub_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), index=True)

    hearing: Mapped[Hearing] = relationship(back_populates="hubs")


class HearingAdoption(Base):
    """The registry adoptions a hearing is about (ids kept even before the registry loads)."""

    __tablename__ = "hearing_adoptions"
    __table_args__ = (UniqueConstraint("hearing_id", "adoption_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    adoption_id: Mapped[str] = mapped_column(String(80), index=True)

    hearing: Mapped[Hearing] = relationship(back_populates="adoptions")


class HearingOrganization(Base):
    """An organization visited in a hearing, with its name exactly as the source writes it."""

    __tablename__ = "hearing_organizations"
    __table_args__ = (UniqueConstraint("hearing_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    order: Mapped[int] = mapped_column(Integer, default=0)
    name_as_written: Mapped[str] = mapped_column(String(300))

    hearing: Mapped[Hearing] = relationship(back_populates="organizations")
    organization: Mapped[Organization] = relationship()


class Interviewee(Base):
    """A person interviewed. Personal data: never exported unless asked for explicitly."""

    __tablename__ = "hearing_interviewees"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    position: Mapped[str | None] = mapped_column(String(200))
    is_personal: Mapped[bool] = mapped_column(Boolean, default=True)

    hearing: Mapped[Hearing] = relationship(back_populates="interviewees")


class Document(Base):
    """A text to analyse: transcript, notes, questionnaire answers, comments, report text."""

    __tablename__ = "documents"
    __table_args__ = (check("source_type", SourceType),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    source_type: Mapped[str] = mapped_column(String(30), default=SourceType.OTHER.value, index=True)
    text: Mapped[str] = mapped_column(Text)
    original_filename: Mapped[str | None] = mapped_column(String(500))
    encoding: Mapped[str | None] = mapped_column(String(40))
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("hearings.id", ondelete="SET NULL"), index=True)
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"), index=True)
    meta: Mapped[dict | None] = mapped_column(JSON)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    contains_personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    refi_guid: Mapped[str | None] = mapped_column(String(40))
    # SHA-256 of the normalized text (chiiki.hearings.importing.content_hash): the same text is
    # not imported twice. Not unique: databases from before 20261202_02 may hold copies.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    hearing: Mapped[Hearing | None] = relationship(back_populates="documents")
    turns: Mapped[list[SpeakerTurn]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="SpeakerTurn.order"
    )
    segments: Mapped[list[CodedSegment]] = relationship(back_populates="document", cascade="all, delete-orphan")


class SpeakerTurn(Base):
    """One speaker's turn in a transcript; the label may name a person (personal data)."""

    __tablename__ = "hearing_speaker_turns"
    __table_args__ = (UniqueConstraint("document_id", "order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    order: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    is_personal: Mapped[bool] = mapped_column(Boolean, default=True)

    document: Mapped[Document] = relationship(back_populates="turns")


class Code(Base):
    """A code of the codebook; ``factor`` names a key factor of the factor engine."""

    __tablename__ = "qda_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("qda_codes.id", ondelete="SET NULL"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(String(9))
    factor: Mapped[str | None] = mapped_column(String(200))
    is_codable: Mapped[bool] = mapped_column(Boolean, default=True)
    refi_guid: Mapped[str | None] = mapped_column(String(40))

    parent: Mapped[Code | None] = relationship(remote_side="Code.id", back_populates="children")
    children: Mapped[list[Code]] = relationship(back_populates="parent")


class CodedSegment(Base):
    """A span ``documents.text[start:end]`` coded with one code by one coder."""

    __tablename__ = "qda_segments"
    __table_args__ = (UniqueConstraint("document_id", "code_id", "coder", "start", "end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    code_id: Mapped[int] = mapped_column(ForeignKey("qda_codes.id", ondelete="CASCADE"), index=True)
    coder: Mapped[str] = mapped_column(String(100), default="default")
    memo: Mapped[str | None] = mapped_column(Text)
    refi_guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    document: Mapped[Document] = relationship(back_populates="segments")
    code: Mapped[Code] = relationship()


__all__ = [
    "CONSENT_STATUSES",
    "SOURCE_TYPES",
    "Code",
    "CodedSegment",
    "Document",
    "GuideQuestion",
    "Hearing",
    "HearingAdoption",
    "HearingHub",
    "HearingOrganization",
    "InterviewGuide",
    "Interviewee",
    "SpeakerTurn",
]
