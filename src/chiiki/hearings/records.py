"""Creating and reading hearing records: hearings, their organizations, adoptions and hubs.

Organizations go into the registry's ``organizations`` table under one normalized key, so a
foundation visited in a hearing is the same row as the foundation that ran an adoption.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import HearingsError, NotFoundError, choice
from chiiki.hearings.results import Result
from chiiki.i18n import msg
from chiiki.model.enums import ConsentStatus, OrgKind
from chiiki.model.hearings import (
    Hearing,
    HearingAdoption,
    HearingHub,
    HearingOrganization,
    Interviewee,
    InterviewGuide,
)
from chiiki.model.registry import Adoption, Organization

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction


def org_key(name: str) -> str:
    """The registry's organization key (one normalized key for every spelling)."""
    from chiiki.ingest.normalize import org_key as _org_key

    return _org_key(name)


def ensure_organization(
    session: Session, name: str, kind: str = "other", prefecture: str | None = None
) -> Organization:
    """The organization with this name's key, created with ``kind`` if new.

    An existing row keeps its kind: the registry loader may know better than a hearing record.
    """
    kind = choice(OrgKind, kind, "kind")
    key = org_key(name)
    org = session.scalar(select(Organization).where(Organization.key == key))
    if org is None:
        org = Organization(key=key, name=name.strip(), kind=kind, prefecture=prefecture)
        session.add(org)
        session.flush()
    return org


class _Unset:
    """The value of a field the caller did not give (``None`` means "clear it")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def parse_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``/`` also) as (year, month, day)."""
    if not value or not value.strip():
        return None, None, None
    try:
        parts = [int(p) for p in value.strip().replace("/", "-").split("-") if p]
    except ValueError:
        raise HearingsError("hearings.bad_date", value=value) from None
    if not 1 <= len(parts) <= 3:
        raise HearingsError("hearings.bad_date", value=value)
    padded: list[int | None] = [*parts, None, None]
    return padded[0], padded[1], padded[2]


def create_hearing(
    session: Session,
    key: str,
    title: str = UNSET,
    *,
    region: str | None = UNSET,
    year: int | None = UNSET,
    month: int | None = UNSET,
    day: int | None = UNSET,
    interviewers: str | None = UNSET,
    guide_key: str | None = UNSET,
    consent: str = UNSET,
    note: str | None = UNSET,
    source: str | None = UNSET,
    is_sample: bool = UNSET,
) -> Hearing:
    """Add a hearing, or update the one with this ``key``: only the fields given change.

    A new hearing needs a ``title``; its consent defaults to ``pending``. ``year``/``month``/
    ``day`` are given together (month precision is enough: ``day`` may be None).
    """
    hearing = session.scalar(select(Hearing).where(Hearing.key == key))
    if hearing is None:
        if title is UNSET or not title:
            raise HearingsError("hearings.title_required", key=key)
        hearing = Hearing(key=key, title=title, consent=ConsentStatus.PENDING.value, is_sample=False)
        session.add(hearing)
    if title is not UNSET and title:
        hearing.title = title
    if consent is not UNSET:
        hearing.consent = choice(ConsentStatus, consent, "consent")
    if year is not UNSET or month is not UNSET or day is not UNSET:
        y = None if year is UNSET else year
        m = None if month is UNSET else month
        d = None if day is UNSET else day
        if m is not None and not 1 <= m <= 12:
            raise HearingsError("hearings.month_out_of_range", month=m)
        if d is not None and (m is None or not 1 <= d <= 31):
            raise HearingsError("hearings.bad_day", day=d)
        hearing.year, hearing.month, hearing.day = y, m, d
    if guide_key is not UNSET:
        guide = None
        if guide_key:
            guide = session.scalar(select(InterviewGuide).where(InterviewGuide.key == guide_key))
            if guide is None:
                raise NotFoundError("hearings.guide_not_found", key=guide_key)
        hearing.guide = guide
    for name, value in (
        ("region", region),
        ("interviewers", interviewers),
        ("note", note),
        ("source", source),
        ("is_sample", is_sample),
    ):
        if value is not UNSET:
            setattr(hearing, name, value)
    session.flush()
    return hearing


def add_hearing_organization(
    session: Session,
    hearing: Hearing,
    name_as_written: str,
    *,
    kind: str = "other",
    registry_name: str | None = None,
    prefecture: str | None = None,
    order: int | None = None,
) -> HearingOrganization:
    """Link an organization to a hearing (idempotent), keeping the source's wording.

    A new link goes last unless ``order`` is given; an existing one keeps its place.
    """
    org = ensure_organization(session, registry_name or name_as_written, kind, prefecture)
    link = session.scalar(
        select(HearingOrganization).where(
            HearingOrganization.hearing_id == hearing.id,
            HearingOrganization.organization_id == org.id,
        )
    )
    if link is None:
        link = HearingOrganization(hearing_id=hearing.id, organization_id=org.id)
        link.order = order if order is not None else len(hearing.organizations) + 1
        session.add(link)
    elif order is not None:
        link.order = order
    link.name_as_written = name_as_written
    session.flush()
    session.refresh(hearing)
    return link


def add_interviewee(
    session: Session,
    hearing: Hearing,
    name: str,
    *,
    organization: str | None = None,
    position: str | None = None,
) -> Interviewee:
    """Record a person interviewed (personal data: shown only with ``include_personal``).

    Adding a person already recorded changes only what is given (organization, position).
    """
    person = session.scalar(select(Interviewee).where(Interviewee.hearing_id == hearing.id, Interviewee.name == name))
    if person is None:
        person = Interviewee(hearing_id=hearing.id, name=name)
        session.add(person)
    if organization:
        key = org_key(organization)
        org = session.scalar(select(Organization).where(Organization.key == key))
        person.organization_id = org.id if org is not None else ensure_organization(session, organization).id
    if position is not None:
        person.position = position
    session.flush()
    return person


def add_hearing_adoption(session: Session, hearing: Hearing, adoption_id: str) -> None:
    exists = session.scalar(
        select(HearingAdoption).where(
            HearingAdoption.hearing_id == hearing.id,
            HearingAdoption.adoption_id == adoption_id,
        )
    )
    if exists is None:
        session.add(HearingAdoption(hearing_id=hearing.id, adoption_id=adoption_id))
        session.flush()


def add_hearing_hub(session: Session, hearing: Hearing, hub_id: int) -> None:
    exists = session.scalar(select(HearingHub).where(HearingHub.hearing_id == hearing.id, HearingHub.hub_id == hub_id))
    if exists is None:
        session.add(HearingHub(hearing_id=hearing.id, hub_id=hub_id))
        session.flush()


def link_hearing_hubs(session: Session) -> Result:
    """Attach every hearing to the hubs of its adoptions (those that exist and have a hub).

    Why separate: the registry and hubs may be loaded after the hearing records; calling this
    again later completes the links. ``summary`` has one row per adoption link (hearing,
    adoption_id, status: linked | missing | no_hub); a warning per link that is not linked.
    """
    import pandas as pd

    rows = []
    warnings = []
    for link in session.scalars(select(HearingAdoption).order_by(HearingAdoption.id)).all():
        adoption = session.get(Adoption, link.adoption_id)
        status = "missing"
        if adoption is not None and adoption.hub_id is not None:
            add_hearing_hub(session, link.hearing, adoption.hub_id)
            status = "linked"
        elif adoption is not None:
            status = "no_hub"
        if status != "linked":
            warnings.append(
                msg(f"hearings.adoption_{status}", "warning", hearing=link.hearing.key, adoption=link.adoption_id)
            )
        rows.append({"hearing": link.hearing.key, "adoption_id": link.adoption_id, "status": status})
    summary = pd.DataFrame(rows, columns=["hearing", "adoption_id", "status"])
    return Result(summary=summary, warnings=warnings, n=int((summary["status"] == "linked").sum()))


def get_hearing(session: Session, ref: str | int) -> Hearing:
    """A hearing by numeric id or key."""
    hearing = None
    if isinstance(ref, int) or str(ref).isdigit():
        hearing = session.get(Hearing, int(ref))
    if hearing is None:
        hearing = session.scalar(select(Hearing).where(Hearing.key == str(ref)))
    if hearing is None:
        raise NotFoundError("hearings.hearing_not_found", ref=str(ref))
    return hearing


def hearing_hub_ids(hearing: Hearing) -> list[int]:
    return sorted({h.hub_id for h in hearing.hubs})


LIST_COLUMNS = [
    "id",
    "key",
    "title",
    "region",
    "organizations",
    "date",
    "consent",
    "adoptions",
    "hubs",
    "documents",
    "is_sample",
]


def list_hearings(session: Session, lang: str = "ja") -> list[dict[str, Any]]:
    """Table-1-style overview, one dict per hearing (columns :data:`LIST_COLUMNS`).

    ``organizations``, ``adoptions`` and ``hubs`` are lists; ``region`` is the English label
    when ``lang`` is "en" and the record has one (a data value, not a translation).
    """
    from chiiki.model.registry import Hub

    rows = []
    for h in session.scalars(select(Hearing).order_by(Hearing.year, Hearing.month, Hearing.id)):
        hubs = [session.get(Hub, i) for i in hearing_hub_ids(h)]
        rows.append(
            {
                "id": h.id,
                "key": h.key,
                "title": h.title,
                "region": (h.region_en if lang == "en" and h.region_en else h.region) or "",
                "organizations": [o.name_as_written for o in h.organizations],
                "date": h.date_label,
                "consent": h.consent,
                "adoptions": [a.adoption_id for a in h.adoptions],
                "hubs": [x.name for x in hubs if x is not None],
                "documents": len(h.documents),
                "is_sample": bool(h.is_sample),
            }
        )
    return rows


def hearing_detail(session: Session, ref: str | int, redaction: Redaction | None = None) -> dict[str, Any]:
    """Everything about one hearing as plain data.

    With a ``redaction`` that hides personal data, interviewers and interviewees are left out
    (their number stays) and the known names are masked in the title, note and document titles.
    """
    from chiiki.hearings.privacy import Redaction

    red = redaction or Redaction.nothing_hidden()
    h = get_hearing(session, ref)
    show = red.show_personal
    return {
        "id": h.id,
        "key": h.key,
        "title": red.text(h.title),
        "region": h.region,
        "region_en": h.region_en,
        "date": h.date_label,
        "consent": h.consent,
        "is_sample": bool(h.is_sample),
        "interviewers": h.interviewers if show else None,
        "guide": h.guide.title if h.guide else None,
        "questions": [q.text for q in h.guide.questions] if h.guide else [],
        "organizations": [{"name": o.name_as_written, "kind": o.organization.kind} for o in h.organizations],
        "adoptions": [a.adoption_id for a in h.adoptions],
        "hub_ids": hearing_hub_ids(h),
        "documents": [
            {
                "id": d.id,
                "title": red.text(d.title),
                "source_type": d.source_type,
                "chars": len(d.text),
                "contains_personal_data": bool(d.contains_personal_data),
            }
            for d in h.documents
        ],
        "source": h.source,
        "note": red.text(h.note),
        "n_interviewees": len(h.interviewees),
        "interviewees": [{"name": p.name, "position": p.position} for p in h.interviewees] if show else None,
        "personal_shown": show,
    }
