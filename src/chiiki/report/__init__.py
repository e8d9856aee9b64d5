"""The survey report (調査報告書): HTML, PDF and XLSX from the registry and the factor analysis.

Imports are light here; pandas, matplotlib and WeasyPrint load inside the functions that
need them so ``chiiki --help`` stays fast.
"""

from __future__ import annotations

from chiiki.report.build import FORMATS, ReportPaths, UnknownFormatError, build_report
from chiiki.report.pdf import FontNotEmbeddedError, GlyphCoverageError

__all__ = [
    "FORMATS",
    "FontNotEmbeddedError",
    "GlyphCoverageError",
    "ReportPaths",
    "UnknownFormatError",
    "build_report",
]
