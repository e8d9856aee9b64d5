"""Japanese fiscal years written the ways people write them.

平成14年度, H14, Ｈ１４, 平成十四年度, 令和5年度, R5, 令和元年度, 2002年度, FY2002 and plain 2002 all
mean a fiscal year. Written by hand because the job is a dozen regular expressions: `japanera`
handles dates, not "H14"-style abbreviations in spreadsheet cells, and we need clear errors.
"""

from __future__ import annotations

import re
from datetime import date

from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.normalize import nfkc

# Offset to add to the era year to get the Gregorian year.
ERA_OFFSETS = {
    "明治": 1867,
    "大正": 1911,
    "昭和": 1925,
    "平成": 1988,
    "令和": 2018,
    "M": 1867,
    "T": 1911,
    "S": 1925,
    "H": 1988,
    "R": 2018,
}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_ERA_RE = re.compile(
    r"^(?P<era>明治|大正|昭和|平成|令和|[MTSHR])\s*(?P<num>元|\d{1,2}|[〇零一二三四五六七八九十]{1,3})"
    r"\s*(?:年度?|年)?$",
    re.IGNORECASE,
)
_WESTERN_RE = re.compile(r"^(?:FY\s*)?(?P<year>(?:19|20)\d{2})\s*(?:年度?|年)?$", re.IGNORECASE)
MIN_FY, MAX_FY = 1950, 2100


class FiscalYearError(InvalidValue):
    """A cell that is not a fiscal year; ``message`` says what was expected (code ``ingest.*``)."""


def _kanji_number(text: str) -> int:
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def parse_fiscal_year(value: object) -> int | None:
    """Return the Gregorian fiscal year, None for an empty cell, or raise FiscalYearError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FiscalYearError("ingest.not_fiscal_year", value)
    if isinstance(value, date):
        # A date cell (Excel): the fiscal year runs April–March.
        year = value.year if value.month >= 4 else value.year - 1
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise FiscalYearError("ingest.not_whole_year", value)
        year = int(value)
    else:
        text = nfkc(str(value)).strip().replace(" ", "")
        if not text:
            return None
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        m = _WESTERN_RE.match(text)
        if m:
            year = int(m.group("year"))
        else:
            m = _ERA_RE.match(text)
            if not m:
                raise FiscalYearError("ingest.not_fiscal_year", value)
            era = m.group("era")
            era = era.upper() if len(era) == 1 else era
            number = _kanji_number(m.group("num"))
            if number < 1:
                raise FiscalYearError("ingest.era_year_zero", value)
            year = ERA_OFFSETS[era] + number
    if not MIN_FY <= year <= MAX_FY:
        raise FiscalYearError("ingest.fy_out_of_range", value, min=MIN_FY, max=MAX_FY)
    return year
