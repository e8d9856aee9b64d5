"""Messages of the readers and cell parsers (codes ``ingest.*``), and the errors that carry them.

A parser refuses a cell with :class:`InvalidValue` (a ``ValueError``): it carries a
:class:`~chiiki.i18n.Message`, so the reason reaches the user in their language; ``str()`` of it
is the English text, for logs. The cell's value is a parameter, never part of the template:
the row error that reports the cell shows it once.
"""

from __future__ import annotations

from typing import Any

from chiiki.i18n import N_, Message, msg, render
from chiiki.ingest.reader_messages import READER_MESSAGES

MESSAGES = {
    # cell parsers
    "ingest.not_fiscal_year": N_(
        "not a fiscal year (expected e.g. 2002, FY2002, H14, R5 or a year of the Heisei or Reiwa era)"
    ),
    "ingest.not_whole_year": N_("not a whole year"),
    "ingest.era_year_zero": N_("not a fiscal year: the years of an era start at 1"),
    "ingest.fy_out_of_range": N_("fiscal year out of the range {min}–{max}"),
    "ingest.unknown_grade": N_("unknown grade (expected one of {expected})"),
    "ingest.not_a_count": N_("not a count"),
    "ingest.not_whole_number": N_("not a whole number"),
    "ingest.negative_count": N_("negative count"),
    "ingest.not_an_amount": N_("not an amount in millions of yen"),
    "ingest.negative_amount": N_("negative amount"),
    "ingest.era_year_out_of_range": N_("{era} {year} does not exist: the years of {era} run from 1 to {last}"),
    "ingest.era_year_mismatch": N_(
        "the Western year {western} and the era year {era} {year} (= {expected}) do not agree"
    ),
    "ingest.bad_kanji_number": N_("not a year written in kanji numerals: {text} (e.g. 14 or the kanji for fourteen)"),
    "ingest.excel_date_serial": N_(
        "an Excel date serial, the date {date} (fiscal year {fy}): write the fiscal year, not a date number"
    ),
    "ingest.not_a_prefecture": N_(
        "not a prefecture (write prefectures by name, separated by commas; an area name belongs "
        "in the area-name column)"
    ),
    "ingest.not_a_prefecture_in": N_(
        "{name} is not a prefecture (write prefectures by name, separated by commas; an area name belongs "
        "in the area-name column)"
    ),
    "ingest.one_prefecture": N_("one prefecture expected, not {n}"),
    "ingest.unknown_code": N_("unknown {kind} (accepted: {accepted})"),
    "ingest.code_list.org_kind": N_("organization kind"),
    "ingest.code_list.participation_role": N_("participation role"),
    "ingest.code_list.role": N_("role"),
    "ingest.code_list.person_role": N_("person role"),
    "ingest.code_list.event_kind": N_("event kind"),
    "ingest.code_list.link_basis": N_("link basis"),
    "ingest.code_list.consent_status": N_("consent status"),
    "ingest.code_list.source_type": N_("source type"),
    # the readers' messages (files, sheets, rows) live next to the readers
    **READER_MESSAGES,
}


class InvalidValue(ValueError):
    """A cell the parser refuses; ``message`` says why (code ``ingest.*``, the value a parameter)."""

    def __init__(self, code: str, value: object = None, **params: Any) -> None:
        self.message: Message = msg(code, "error", value=value, **params)
        super().__init__(code)

    def __str__(self) -> str:
        value = self.message.params.get("value")
        text = render(self.message, "en")
        return text if value is None else f"{text}: {value!r}"
