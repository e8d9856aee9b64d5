"""Registry facts the report shows directly: programs, selections, prefectures, sources.

The timeline and the map count rows of the registry itself (not analysis output), so a reader
can check each bar against the appendix of selections and its source URLs. The rows come in
as plain frames (:mod:`chiiki.report.inputs`); nothing here reads a database.
"""

from __future__ import annotations

import pandas as pd

from chiiki.report.inputs import ADOPTION_COLUMNS, PROGRAM_COLUMNS
from chiiki.report.prefectures import NAMES_JA, english_name, prefectures_in


def _conform(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(columns=columns) if frame is None else frame.copy()
    for col in columns:
        if col not in frame.columns:
            frame[col] = None
    return frame


def program_view(programs: pd.DataFrame | None, lang: str = "ja") -> pd.DataFrame:
    """Programs with ``name`` and ``family_label`` in the report's language (the Japanese name
    when a program has no English one: names are data, shown as the registry holds them)."""
    from chiiki.i18n import translator

    tr = translator(lang)
    frame = _conform(programs, PROGRAM_COLUMNS)
    if lang == "ja":
        frame["name"] = frame["name_ja"]
    else:
        frame["name"] = frame["name_en"].where(frame["name_en"].notna() & (frame["name_en"] != ""), frame["name_ja"])
    frame["family"] = frame["family"].where(frame["family"].notna(), frame["program_id"])
    frame["family_label"] = [
        tr.gettext(str(label)) if label is not None and label == label else str(family)
        for label, family in zip(frame["family_label"], frame["family"], strict=True)
    ]
    frame["family_order"] = pd.to_numeric(frame["family_order"], errors="coerce").fillna(99).astype(int)
    return frame.sort_values("program_id", kind="mergesort").reset_index(drop=True)


# the adoption columns with the program's name and family after the program id
ADOPTION_VIEW_COLUMNS = [
    *ADOPTION_COLUMNS[:2],
    "program_name",
    "family",
    "family_label",
    "family_order",
    *ADOPTION_COLUMNS[2:],
]


def adoption_view(adoptions: pd.DataFrame | None, programs: pd.DataFrame) -> pd.DataFrame:
    """One row per selection with its program's name and family (``programs`` from
    :func:`program_view`), in start-FY order."""
    frame = _conform(adoptions, ADOPTION_COLUMNS)
    info = programs[["program_id", "name", "family", "family_label", "family_order"]].rename(
        columns={"name": "program_name"}
    )
    frame = frame.merge(info, on="program_id", how="left")
    frame["family"] = frame["family"].where(frame["family"].notna(), frame["program_id"])
    frame["family_label"] = frame["family_label"].where(frame["family_label"].notna(), frame["family"])
    frame["family_order"] = pd.to_numeric(frame["family_order"], errors="coerce").fillna(99).astype(int)
    for col in ("start_fy", "end_fy"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    frame["budget_total_million_yen"] = pd.to_numeric(frame["budget_total_million_yen"], errors="coerce")
    frame = frame.sort_values(["start_fy", "program_id", "adoption_id"], kind="mergesort", na_position="last")
    return frame[ADOPTION_VIEW_COLUMNS].reset_index(drop=True)


def timeline_counts(adoptions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Selections per (family label, start FY), families in policy order; and #unknown FY."""
    known = adoptions.dropna(subset=["start_fy"])
    n_unknown = len(adoptions) - len(known)
    if known.empty:
        return pd.DataFrame(), n_unknown
    labels = {
        f: (label, order)
        for f, label, order in zip(known["family"], known["family_label"], known["family_order"], strict=True)
    }
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
    ``prefecture`` is the name in the report's language (English names in English).
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
        columns=["prefecture_ja", "prefecture_en", "n_selections", "n_outcome_known", "n_successor"],
    )
    known_n = frame["n_outcome_known"].where(frame["n_outcome_known"] > 0)
    frame["successor_rate"] = frame["n_successor"] / known_n
    frame.insert(0, "prefecture", frame["prefecture_en"] if lang == "en" else frame["prefecture_ja"])
    return frame, n_none


def family_summary(adoptions: pd.DataFrame) -> pd.DataFrame:
    """Per family (policy order): selections, first and last start FY, selections without FY."""
    rows = []
    for family, part in adoptions.groupby("family", sort=False):
        fy = part["start_fy"].dropna()
        rows.append(
            {
                "order": int(part["family_order"].iloc[0]),
                "key": str(family),
                "family": str(part["family_label"].iloc[0]),
                "n": len(part),
                "first_fy": int(fy.min()) if len(fy) else None,
                "last_fy": int(fy.max()) if len(fy) else None,
                "n_unknown_fy": int(part["start_fy"].isna().sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=["order", "key", "family", "n", "first_fy", "last_fy", "n_unknown_fy"])
    return frame.sort_values(["order", "key"]).drop(columns=["order", "key"]).reset_index(drop=True)
