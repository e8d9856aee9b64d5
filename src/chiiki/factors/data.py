"""The analysis input: four plain DataFrames read once from the registry model.

Why a separate, flat structure: the statistics must be reproducible from data alone (the
synthetic demo builds the same frames without a database) and hashable (``data_hash``), and
the methods should never touch SQLAlchemy. ``load_analysis_data`` is the only place that
knows the model.

Default cutoff: the **latest fiscal year present in the data** (max of start FY, end FY and
event FY). We chose it over "the current FY" so the same database always gives the same
analysis, whatever the day it is run; pass ``cutoff_fy`` explicitly to analyse "as of" a year.
When the data holds no year at all, the current Japanese FY (April–March) is used.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ADOPTION_COLUMNS = [
    "adoption_id",
    "program_id",
    "program_family",
    "hub_id",
    "start_fy",
    "end_fy",
    "budget_total_million_yen",
    "interim_grade",
    "final_grade",
    "n_companies",
    "n_institutions",
    "core_institution",
    "prefectures",
    "municipalities",
    "universities",
    "participants_recorded",
    "final_evaluation_fy",
]
PARTICIPATION_COLUMNS = [
    "adoption_id",
    "organization_id",
    "organization_name",
    "kind",
    "role",
]
LINK_COLUMNS = ["from_adoption_id", "to_adoption_id", "basis"]
EVENT_COLUMNS = ["adoption_id", "kind", "fy"]

_INT_COLUMNS = {
    "adoptions": ["hub_id", "start_fy", "end_fy", "n_companies", "n_institutions", "final_evaluation_fy"],
    "participations": ["organization_id"],
    "links": [],
    "events": ["fy"],
}
_FLOAT_COLUMNS = {"adoptions": ["budget_total_million_yen"]}


@dataclass
class AnalysisData:
    """Registry frames for one analysis, plus the FY up to which outcomes are observed."""

    adoptions: pd.DataFrame
    participations: pd.DataFrame
    links: pd.DataFrame
    events: pd.DataFrame
    cutoff_fy: int

    @property
    def n(self) -> int:
        return len(self.adoptions)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            "adoptions": self.adoptions,
            "participations": self.participations,
            "links": self.links,
            "events": self.events,
        }


def current_fiscal_year(today: _dt.date | None = None) -> int:
    """Japanese FY: April to March, so January–March belong to the previous FY."""
    today = today or _dt.date.today()
    return today.year if today.month >= 4 else today.year - 1


def normalize_frames(
    adoptions: pd.DataFrame,
    participations: pd.DataFrame,
    links: pd.DataFrame,
    events: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """Fix column order, dtypes and row order so equal data gives equal frames and hash.

    Integer columns use the nullable ``Int64`` dtype (missing stays ``<NA>``, never 0);
    text columns are ``object`` with ``None`` for missing.
    """
    spec = {
        "adoptions": (adoptions, ADOPTION_COLUMNS, ["adoption_id"]),
        "participations": (
            participations,
            PARTICIPATION_COLUMNS,
            ["adoption_id", "organization_id", "role"],
        ),
        "links": (links, LINK_COLUMNS, ["from_adoption_id", "to_adoption_id"]),
        "events": (events, EVENT_COLUMNS, ["adoption_id", "kind", "fy"]),
    }
    out: dict[str, pd.DataFrame] = {}
    for name, (frame, columns, sort_by) in spec.items():
        frame = pd.DataFrame(frame).copy() if frame is not None else pd.DataFrame()
        for col in columns:
            if col not in frame.columns:
                frame[col] = None
        frame = frame[columns]
        ints = _INT_COLUMNS.get(name, [])
        floats = _FLOAT_COLUMNS.get(name, [])
        for col in columns:
            if col in ints:
                frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
            elif col in floats:
                frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
            else:
                frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
        frame = frame.sort_values(sort_by, kind="mergesort", na_position="last")
        out[name] = frame.reset_index(drop=True)
    return out


def start_era(start_fy: object) -> str | None:
    """The five-year era of a start FY (``2002-2006``, ``2007-2011``, ...): the time stratum of
    the adjusted estimates. Why five years: program generations (知的クラスター I/II, 都市エリア,
    地域イノベーション戦略, 拠点形成) each ran about five years, so an era holds one generation."""
    if start_fy is None or pd.isna(start_fy):
        return None
    first = 2002 + ((int(start_fy) - 2002) // 5) * 5  # type: ignore[call-overload]
    return f"{first}-{first + 4}"


def default_cutoff_fy(adoptions: pd.DataFrame, events: pd.DataFrame) -> int:
    """Latest FY present in the data (start, end or event FY); current FY if none."""
    years: list[int] = []
    for frame, cols in ((adoptions, ["start_fy", "end_fy"]), (events, ["fy"])):
        for col in cols:
            if col in frame.columns and frame[col].notna().any():
                years.append(int(pd.to_numeric(frame[col], errors="coerce").max()))
    return max(years) if years else current_fiscal_year()


def make_analysis_data(
    adoptions: pd.DataFrame,
    participations: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    cutoff_fy: int | None = None,
) -> AnalysisData:
    """Build :class:`AnalysisData` from frames (normalized; default cutoff as documented)."""
    frames = normalize_frames(adoptions, participations, links, events)
    cutoff = int(cutoff_fy) if cutoff_fy is not None else default_cutoff_fy(frames["adoptions"], frames["events"])
    return AnalysisData(cutoff_fy=cutoff, **frames)


def data_hash(data: AnalysisData) -> str:
    """sha256 over the normalized, sorted frames (not the cutoff: that is a parameter; not the
    organizations' surrogate ids)."""
    frames = normalize_frames(data.adoptions, data.participations, data.links, data.events)
    # organization ids are surrogate keys (PostgreSQL sequences advance on upserts that insert
    # nothing, SQLite's do not): the same data must give one hash, so hash names, not ids
    parts = frames["participations"].drop(columns=["organization_id"])
    frames["participations"] = parts.sort_values(
        ["adoption_id", "organization_name", "role"], kind="mergesort", na_position="last"
    ).reset_index(drop=True)
    digest = hashlib.sha256()
    for name in ("adoptions", "participations", "links", "events"):
        digest.update(name.encode())
        digest.update(frames[name].to_csv(index=False, na_rep="<NA>").encode("utf-8"))
    return digest.hexdigest()


def load_analysis_data(session: Session, cutoff_fy: int | None = None) -> AnalysisData:
    """Read the model tables into :class:`AnalysisData`.

    ``program_family`` is ``Program.family``, falling back to ``Program.id`` when the program
    has no family (a program is then its own family). Organization kind comes from
    ``Organization.kind``; participations of one organization in several roles stay separate
    rows (the factor rules count organizations, not rows).
    """
    from sqlalchemy import literal, select

    from chiiki.model.registry import (
        Adoption,
        LineageLink,
        Organization,
        Participation,
        PostProgramEvent,
        Program,
    )

    # columns added by migration 20261202_01; a model without them reads as "not stated"
    recorded = getattr(Adoption, "participants_recorded", None)
    evaluation = getattr(Adoption, "final_evaluation_fy", None)
    rows = session.execute(
        select(
            Adoption.id,
            Adoption.program_id,
            Program.family,
            Adoption.hub_id,
            Adoption.start_fy,
            Adoption.end_fy,
            Adoption.budget_total_million_yen,
            Adoption.interim_grade,
            Adoption.final_grade,
            Adoption.n_companies,
            Adoption.n_institutions,
            Adoption.core_institution,
            Adoption.prefectures,
            Adoption.municipalities,
            Adoption.universities,
            recorded if recorded is not None else literal(None).label("participants_recorded"),
            evaluation if evaluation is not None else literal(None).label("final_evaluation_fy"),
        ).join(Program, Program.id == Adoption.program_id)
    ).all()
    adoptions = pd.DataFrame([tuple(r) for r in rows], columns=ADOPTION_COLUMNS)
    if len(adoptions):
        adoptions["program_family"] = adoptions["program_family"].where(
            adoptions["program_family"].notna(), adoptions["program_id"]
        )

    prow = session.execute(
        select(
            Participation.adoption_id,
            Participation.organization_id,
            Organization.name,
            Organization.kind,
            Participation.role,
        ).join(Organization, Organization.id == Participation.organization_id)
    ).all()
    participations = pd.DataFrame([tuple(r) for r in prow], columns=PARTICIPATION_COLUMNS)

    lrow = session.execute(
        # a "reject" row is a user's veto of a pair, not a link
        select(LineageLink.from_adoption_id, LineageLink.to_adoption_id, LineageLink.basis).where(
            LineageLink.basis != "reject"
        )
    ).all()
    links = pd.DataFrame([tuple(r) for r in lrow], columns=LINK_COLUMNS)

    erow = session.execute(select(PostProgramEvent.adoption_id, PostProgramEvent.kind, PostProgramEvent.fy)).all()
    events = pd.DataFrame([tuple(r) for r in erow], columns=EVENT_COLUMNS)

    return make_analysis_data(adoptions, participations, links, events, cutoff_fy)
