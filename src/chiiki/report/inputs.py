"""What the report is made from: plain data gathered by the Workbench, never a database session.

``chiiki.Workbench.report`` reads the registry (programs and selections, with their sources),
runs the factor analysis and builds the hearings chapter, then hands the results to
:func:`chiiki.report.build_report` in a :class:`ReportInputs`. The report formats what it is
given and recomputes nothing; which chapters it has is the caller's choice (``chapters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from chiiki.i18n import Message

# One row per program. ``family`` is the policy line the program belongs to, ``family_label`` its
# name as an English msgid (translated where shown) and ``family_order`` its place in policy order
# (``chiiki.registry.families``); program names are data (shown as written).
PROGRAM_COLUMNS = [
    "program_id",
    "name_ja",
    "name_en",
    "family",
    "family_label",
    "family_order",
    "first_fy",
    "last_fy",
    "source_urls",
]
# One row per selection (adoption); ``source_urls`` is the registry's ``|``-separated cell.
ADOPTION_COLUMNS = [
    "adoption_id",
    "program_id",
    "region_name",
    "prefectures",
    "title",
    "start_fy",
    "end_fy",
    "budget_total_million_yen",
    "interim_grade",
    "final_grade",
    "source_urls",
]

# Chapters the report knows, in reading order; the title page and contents always come first.
CHAPTERS = (
    "summary",
    "coverage",
    "timeline",
    "map",
    "methods",
    "factors",
    "sensitivity",
    "survival",
    "competing",
    "qca",
    "verdicts",
    "hearings",
    "appendix",
    "repro",
)


@dataclass
class ReportInputs:
    """Everything one report shows.

    ``analysis`` is a ``chiiki.factors.FactorAnalysis`` (None when it could not be run; then
    ``analysis_error`` says why and the registry chapters are still written). ``hearings`` is
    the data of the hearings chapter (``Workbench.hearings_chapter``), rendered by
    :mod:`chiiki.report.sections_hearings`; None leaves the chapter out. ``chapters`` lists the
    chapters to write, in any order of :data:`CHAPTERS` (they are always printed in that order).
    Sample records are the caller's to leave out (the hearings chapter does); the report says
    how many it left out, or marks the ones it shows when ``include_samples``.
    """

    programs: pd.DataFrame
    adoptions: pd.DataFrame
    analysis: Any = None
    analysis_error: Message | None = None
    hearings: Any = None
    chapters: tuple[str, ...] = CHAPTERS
    map_style: str = "auto"
    # sample records: shown (marked) only when asked; else ``samples_left_out`` counts what the
    # report left out ({"hearings": n, "documents": n}; None: read from the hearings chapter)
    include_samples: bool = False
    samples_left_out: dict[str, int] | None = None

    def has(self, chapter: str) -> bool:
        """Whether the report writes ``chapter`` (the hearings chapter needs its data)."""
        if chapter == "hearings" and self.hearings is None:
            return False
        return chapter in self.chapters


def empty_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Programs and selections of an empty registry (columns only)."""
    import pandas as pd

    return pd.DataFrame(columns=PROGRAM_COLUMNS), pd.DataFrame(columns=ADOPTION_COLUMNS)
