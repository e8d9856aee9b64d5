"""Messages of the survey report (codes ``report.*``), in English; Japanese in the catalogue."""

from chiiki.i18n import N_

MESSAGES = {
    "report.no_analysis": N_("The statistical analysis could not be run: {detail}"),
    "report.unknown_format": N_("Unknown report format(s): {formats} (choose from {choices})."),
    "report.unknown_chapter": N_("Unknown report chapter(s): {chapters} (choose from {choices})."),
    "report.glyphs_missing": (
        N_("The PDF cannot be written: {n} character is not in the IPAex Gothic font: {chars}"),
        N_("The PDF cannot be written: {n} characters are not in the IPAex Gothic font: {chars}"),
    ),
    "report.font_not_embedded": N_(
        "The PDF cannot be written: the IPAex Gothic font was not embedded (fonts found: {fonts})."
    ),
    "report.html_kept": N_("The HTML report was written: {path}"),
    "report.hearings_failed": N_("The hearings chapter could not be made: {detail}"),
    "report.written": (
        N_("Report written ({n} file) to {dir}"),
        N_("Report written ({n} files) to {dir}"),
    ),
}
