"""Registry facts the report shows directly: programs, selections, prefectures, sources.

The timeline and the map count rows of the registry itself (not analysis output), so a reader
can check each bar against the appendix of selections and its source URLs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from chiiki.report.prefectures import NAMES_JA, english_name, prefectures_in

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ADOPTION_VIEW_COLUMNS = [
    "adoption_id",
    "program_id",
    "program_name",
    "family",
    "region_name",
    "prefectures",
    "title",
    "start_fy",
    "end_fy",
    "interim_grade",
    "final_grade",
    "source_urls",
]


def _family(program_id: str, family: str | None) -> str:
    if family:
        return family
    try:
        from chiiki.registry.families import family_of
    except ImportError:  # registry package not installed in this build
        return program_id
    return family_of(program_id)


def family_display(family: str, lang: str) -> tuple[str, int]:
    """(label, display order) of a family; the id itself when the registry does not know it."""
    try:
        from chiiki.registry.families import family_label, family_order
    except ImportError:
        return family, 99
    return family_label(family, lang), family_order(family)


def program_frame(session: Session, lang: str = "ja") -> pd.DataFrame:
    from sqlalchemy import select

    from chiiki.model.registry import Program

    rows = session.execute(
        select(
            Program.id,
            Program.name_ja,
            Program.name_en,
            Program.family,
            Program.first_fy,
            Program.last_fy,
            Program.source_urls,
        ).order_by(Program.id)
    ).all()
    frame = pd.DataFrame(
        rows, columns=["program_id", "name_ja", "name_en", "family", "first_fy", "last_fy", "source_urls"]
    )
    frame["family"] = [_family(p, f) for p, f in zip(frame["program_id"], frame["family"], strict=True)]
    frame["name"] = frame["name_ja"] if lang == "ja" else frame["name_en"].fillna(frame["name_ja"])
    return frame


def adoption_frame(session: Session, lang: str = "ja") -> pd.DataFrame:
    """One row per selection with its program, family and source URLs (appendix and xlsx)."""
    from sqlalchemy import select

    from chiiki.model.registry import Adoption, Program

    rows = session.execute(
        select(
            Adoption.id,
            Adoption.program_id,
            Program.name_ja,
            Program.name_en,
            Program.family,
            Adoption.region_name,
            Adoption.prefectures,
            Adoption.title,
            Adoption.start_fy,
            Adoption.end_fy,
            Adoption.interim_grade,
            Adoption.final_grade,
            Adoption.source_urls,
        )
        .join(Program, Program.id == Adoption.program_id)
        .order_by(Adoption.start_fy, Adoption.program_id, Adoption.id)
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "adoption_id",
            "program_id",
            "name_ja",
            "name_en",
            "family",
            "region_name",
            "prefectures",
            "title",
            "start_fy",
            "end_fy",
            "interim_grade",
            "final_grade",
            "source_urls",
        ],
    )
    frame["program_name"] = frame["name_ja"] if lang == "ja" else frame["name_en"].fillna(frame["name_ja"])
    frame["family"] = [_family(p, f) for p, f in zip(frame["program_id"], frame["family"], strict=True)]
    for col in ("start_fy", "end_fy"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame[ADOPTION_VIEW_COLUMNS]


def timeline_counts(adoptions: pd.DataFrame, lang: str = "ja") -> tuple[pd.DataFrame, int]:
    """Selections per (family label, start FY), families in policy order; and #unknown FY."""
    known = adoptions.dropna(subset=["start_fy"])
    n_unknown = len(adoptions) - len(known)
    if known.empty:
        return pd.DataFrame(), n_unknown
    labels = {f: family_display(f, lang) for f in known["family"].unique()}
    table = pd.crosstab(known["family"], known["start_fy"].astype(int))
    order = sorted(table.index, key=lambda f: (labels[f][1], f))
    table = table.loc[order]
    table.index = [labels[f][0] for f in order]
    return table, n_unknown


def prefecture_stats(
    adoptions: pd.DataFrame, outcomes: pd.DataFrame | None, lang: str = "ja"
) -> tuple[pd.DataFrame, int]:
    """Per prefecture: selections, outcome known, successors, successor rate; and #no prefecture.

    A selection spanning several prefectures counts once in each (stated in the report).
    The rate uses only selections whose successor outcome is known (not missing: the engine
    leaves it empty when it cannot be known), so an unknown outcome is never read as "no".
    """
    succ: dict[str, object] = {}
    if outcomes is not None and not outcomes.empty and "successor" in outcomes.columns:
        succ = dict(zip(outcomes["adoption_id"], outcomes["successor"], strict=True))
    counts = {name: [0, 0, 0] for name in NAMES_JA}
    n_none = 0
    for adoption_id, cell in zip(adoptions["adoption_id"], adoptions["prefectures"], strict=True):
        names = prefectures_in(cell)
        if not names:
            n_none += 1
        value = succ.get(adoption_id)
        known = value is not None and not pd.isna(value)
        for name in names:
            counts[name][0] += 1
            if known:
                counts[name][1] += 1
                counts[name][2] += int(bool(value))
    frame = pd.DataFrame(
        [(name, english_name(name), *c) for name, c in counts.items()],
        columns=["prefecture", "prefecture_en", "n_selections", "n_outcome_known", "n_successor"],
    )
    known_n = frame["n_outcome_known"].where(frame["n_outcome_known"] > 0)
    frame["successor_rate"] = frame["n_successor"] / known_n
    if lang == "en":
        frame["prefecture"] = frame["prefecture_en"]
    return frame, n_none


def family_summary(adoptions: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """Per family (policy order): selections, first and last start FY, selections without FY."""
    rows = []
    for family, part in adoptions.groupby("family", sort=False):
        label, order = family_display(str(family), lang)
        fy = part["start_fy"].dropna()
        rows.append(
            {
                "order": order,
                "family": label,
                "n": len(part),
                "first_fy": int(fy.min()) if len(fy) else None,
                "last_fy": int(fy.max()) if len(fy) else None,
                "n_unknown_fy": int(part["start_fy"].isna().sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=["order", "family", "n", "first_fy", "last_fy", "n_unknown_fy"])
    return frame.sort_values(["order", "family"]).drop(columns="order").reset_index(drop=True)
