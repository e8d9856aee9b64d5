"""The survey report (調査報告書): HTML, PDF and XLSX from results the Workbench gathered.

``build_report(inputs, out_dir, lang)`` renders a :class:`ReportInputs` (registry frames, the
factor analysis, the hearings chapter); it never opens a database (``chiiki.Workbench.report``
does the gathering). Imports are light here; pandas, matplotlib and WeasyPrint load inside the
functions that need them so ``chiiki --help`` stays fast.
"""

from __future__ import annotations

from chiiki.report.build import FORMATS, ReportError, ReportFiles, UnknownFormatError, build_report
from chiiki.report.inputs import ADOPTION_COLUMNS, CHAPTERS, PROGRAM_COLUMNS, ReportInputs
from chiiki.report.pdf import FontNotEmbeddedError, GlyphCoverageError

__all__ = [
    "ADOPTION_COLUMNS",
    "CHAPTERS",
    "FORMATS",
    "PROGRAM_COLUMNS",
    "FontNotEmbeddedError",
    "GlyphCoverageError",
    "ReportError",
    "ReportFiles",
    "ReportInputs",
    "UnknownFormatError",
    "build_report",
]
