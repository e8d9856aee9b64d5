"""Creating and reading hearing records: hearings, their organizations, adoptions and hubs.

Organizations go into the registry's ``organizations`` table under one normalized key, so a
foundation visited in a hearing is the same row as the foundation that ran an adoption.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import HearingsError, NotFoundError
from chiiki.hearings.results import Result
from chiiki.model.hearings import (
    CONSENT_STATUSES,
    Hearing,
    HearingAdoption,
    HearingHub,
    HearingOrganization,
    Interviewee,
    InterviewGuide,
)
from chiiki.model.registry import ORG_KINDS, Adoption, Organization


def org_key(name: str) -> str:
    """The registry's organization key; falls back to NFKC+strip if the lead's helper is absent."""
    try:
        from chiiki.ingest.normalize import org_key as _org_key
    except ImportError:  # pragma: no cover - only before chiiki.ingest.normalize exists
        return unicodedata.normalize("NFKC", name).strip()
    return _org_key(name)


def ensure_organization(
    session: Session, name: str, kind: str = "other", prefecture: str | None = None
) -> Organization:
    """The organization with this name's key, created with ``kind`` if new.

    An existing row keeps its kind: the registry loader may know better than a hearing record.
    """
    if kind not in ORG_KINDS:
        raise HearingsError(f"unknown organization kind {kind!r}; one of {ORG_KINDS}")
    key = org_key(name)
    org = session.scalar(select(Organization).where(Organization.key == key))
    if org is None:
        org = Organization(key=key, name=name.strip(), kind=kind, prefecture=prefecture)
        session.add(org)
        session.flush()
    return org


def create_hearing(
    session: Session,
    key: str,
    title: str,
    *,
    region: str | None = None,
    year: int | None = None,
    month: int | None = None,
    day: int | None = None,
    interviewers: str | None = None,
    guide_key: str | None = None,
    consent: str = "pending",
    note: str | None = None,
    source: str | None = None,
    is_sample: bool = False,
) -> Hearing:
    """Add (or update, same ``key``) a hearing; month precision is enough."""
    if consent not in CONSENT_STATUSES:
        raise HearingsError(f"consent must be one of {CONSENT_STATUSES}, got {consent!r}")
    if month is not None and not 1 <= month <= 12:
        raise HearingsError(f"month out of range: {month}")
    if day is not None and (month is None or not 1 <= day <= 31):
        raise HearingsError("a day needs a month and must be 1..31")
    hearing = session.scalar(select(Hearing).where(Hearing.key == key))
    if hearing is None:
        hearing = Hearing(key=key, title=title)
        session.add(hearing)
    guide = None
    if guide_key:
        guide = session.scalar(select(InterviewGuide).where(InterviewGuide.key == guide_key))
        if guide is None:
            raise NotFoundError(f"interview guide {guide_key!r} not found")
    hearing.title = title
    hearing.region = region
    hearing.year, hearing.month, hearing.day = year, month, day
    hearing.interviewers = interviewers
    hearing.guide = guide
    hearing.consent = consent
    hearing.note = note
    hearing.source = source
    hearing.is_sample = is_sample
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
    """Link an organization to a hearing (idempotent), keeping the source's wording."""
    org = ensure_organization(session, registry_name or name_as_written, kind, prefecture)
    link = session.scalar(
        select(HearingOrganization).where(
            HearingOrganization.hearing_id == hearing.id,
            HearingOrganization.organization_id == org.id,
        )
    )
    if link is None:
        link = HearingOrganization(hearing_id=hearing.id, organization_id=org.id)
        session.add(link)
    link.name_as_written = name_as_written
    link.order = order if order is not None else len(hearing.organizations) + 1
    session.flush()
    return link


def add_interviewee(
    session: Session,
    hearing: Hearing,
    name: str,
    *,
    organization: str | None = None,
    position: str | None = None,
) -> Interviewee:
    """Record a person interviewed (personal data: shown only with ``include_personal``)."""
    org_id = None
    if organization:
        key = org_key(organization)
        org = session.scalar(select(Organization).where(Organization.key == key))
        org_id = org.id if org is not None else ensure_organization(session, organization).id
    person = session.scalar(select(Interviewee).where(Interviewee.hearing_id == hearing.id, Interviewee.name == name))
    if person is None:
        person = Interviewee(hearing_id=hearing.id, name=name)
        session.add(person)
    person.organization_id = org_id
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
    again later completes the links. Returns which adoption ids are still missing or hub-less.
    """
    import pandas as pd

    rows = []
    warnings: list[str] = []
    for link in session.scalars(select(HearingAdoption)).all():
        adoption = session.get(Adoption, link.adoption_id)
        status = "missing"
        if adoption is not None and adoption.hub_id is not None:
            add_hearing_hub(session, link.hearing, adoption.hub_id)
            status = "linked"
        elif adoption is not None:
            status = "no_hub"
        if status != "linked":
            warnings.append(f"{link.hearing.key}: adoption {link.adoption_id} {status}")
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
        raise NotFoundError(f"hearing {ref!r} not found")
    return hearing


def hearing_hub_ids(hearing: Hearing) -> list[int]:
    return sorted({h.hub_id for h in hearing.hubs})


def list_hearings(session: Session, lang: str = "ja") -> Result:
    """Table-1-style overview: region, organizations visited, month, hubs, documents."""
    import pandas as pd

    from chiiki.model.registry import Hub

    rows = []
    for h in session.scalars(select(Hearing).order_by(Hearing.year, Hearing.month, Hearing.id)):
        hubs = [session.get(Hub, i) for i in hearing_hub_ids(h)]
        rows.append(
            {
                "id": h.id,
                "key": h.key,
                "region": (h.region_en if lang == "en" and h.region_en else h.region) or "",
                "organizations": "、".join(o.name_as_written for o in h.organizations),
                "date": h.date_label,
                "consent": h.consent,
                "adoptions": ", ".join(a.adoption_id for a in h.adoptions),
                "hubs": ", ".join(x.name for x in hubs if x is not None),
                "documents": len(h.documents),
                "is_sample": h.is_sample,
            }
        )
    cols = ["id", "key", "region", "organizations", "date", "consent", "adoptions", "hubs", "documents", "is_sample"]
    return Result(summary=pd.DataFrame(rows, columns=cols), n=len(rows))


def hearing_detail(session: Session, ref: str | int, include_personal: bool = False) -> dict:
    """Everything about one hearing as plain data; interviewee names only if asked for."""
    h = get_hearing(session, ref)
    detail = {
        "id": h.id,
        "key": h.key,
        "title": h.title,
        "region": h.region,
        "date": h.date_label,
        "consent": h.consent,
        "interviewers": h.interviewers if include_personal else None,
        "guide": h.guide.title if h.guide else None,
        "questions": [q.text for q in h.guide.questions] if h.guide else [],
        "organizations": [{"name": o.name_as_written, "kind": o.organization.kind} for o in h.organizations],
        "adoptions": [a.adoption_id for a in h.adoptions],
        "hub_ids": hearing_hub_ids(h),
        "documents": [
            {"id": d.id, "title": d.title, "source_type": d.source_type, "chars": len(d.text)} for d in h.documents
        ],
        "source": h.source,
        "note": h.note,
    }
    if include_personal:
        detail["interviewees"] = [{"name": p.name, "position": p.position} for p in h.interviewees]
    else:
        detail["interviewees"] = f"{len(h.interviewees)} (hidden; --include-personal)"
    return detail
