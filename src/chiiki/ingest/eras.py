"""Japanese fiscal years written the ways people write them.

平成14年度, H14, Ｈ１４, 平成十四年度, 令和5年度, R5, 令和元年度, 2002年度, FY2002 and plain 2002 all
mean a fiscal year. Written by hand because the job is a dozen regular expressions: `japanera`
handles dates, not "H14"-style abbreviations in spreadsheet cells, and we need clear errors.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

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
# The last year of each era that ended (昭和64 is 1989-01-07, 平成31 ends 2019-04-30).
_ERA_LAST = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31}
_ERA_NAMES = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
REIWA_MARGIN = 1  # a plan may name next fiscal year

_NUM = r"(?P<num>元|\d{1,2}|[〇零一二三四五六七八九十]{1,4})"
_ERA = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])"
_ERA_RE = re.compile(rf"^{_ERA}\s*{_NUM}\s*(?:年度?|年)?$", re.IGNORECASE)
_WESTERN_RE = re.compile(r"^(?:FY\s*)?(?P<year>(?:19|20)\d{2})\s*(?:年度?|年)?$", re.IGNORECASE)
# 2019(令和元)年度, 2019(R1), 2019年度(令和元年度): both years given, they must agree
_BOTH_RE = re.compile(
    rf"^(?:FY\s*)?(?P<year>(?:19|20)\d{{2}})\s*(?:年度?|年)?\s*\(\s*{_ERA}\s*{_NUM}\s*(?:年度?|年)?\s*\)\s*(?:年度?|年)?$",
    re.IGNORECASE,
)
_KANJI_TENS_RE = re.compile(r"^(?P<tens>[二三四五六七八九]?)十(?P<ones>[一二三四五六七八九]?)$")
_KANJI_POSITIONAL_RE = re.compile(r"^[〇零一二三四五六七八九]{1,2}$")
MIN_FY, MAX_FY = 1950, 2100
# Excel stores a date as days since 1899-12-30: 1950-04-01 … 2100-03-31 are these serials
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 18354, 73140


class FiscalYearError(InvalidValue):
    """A cell that is not a fiscal year; ``message`` says what was expected (code ``ingest.*``)."""


def _kanji_number(text: str, value: object) -> int:
    """元, 14, 十四, 二十, 三十一, 一四 → the number; other kanji strings are refused."""
    if text == "元":
        return 1
    if text.isdigit() and text.isascii():
        return int(text)
    m = _KANJI_TENS_RE.match(text)
    if m:
        tens, ones = m.group("tens"), m.group("ones")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    if _KANJI_POSITIONAL_RE.match(text):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    raise FiscalYearError("ingest.bad_kanji_number", value, text=text)


def last_era_year(era: str, today: date | None = None) -> int:
    """The last year of ``era`` (令和: this year's era year plus a small margin)."""
    if era == "令和":
        return (today or date.today()).year - ERA_OFFSETS["令和"] + REIWA_MARGIN
    return _ERA_LAST[era]


def _era_year(era_text: str, num_text: str, value: object) -> tuple[str, int, int]:
    """(era name, era year, Gregorian year), the era year checked against the era's range."""
    era = _ERA_NAMES.get(era_text.upper(), era_text)
    number = _kanji_number(num_text, value)
    if number < 1:
        raise FiscalYearError("ingest.era_year_zero", value)
    last = last_era_year(era)
    if number > last:
        raise FiscalYearError("ingest.era_year_out_of_range", value, era=era, year=number, last=last)
    return era, number, ERA_OFFSETS[era] + number


def _from_serial(number: int, value: object) -> None:
    """A number that is plainly an Excel date serial is explained, not read as a year."""
    if _SERIAL_MIN <= number <= _SERIAL_MAX:
        day = _EXCEL_EPOCH + timedelta(days=number)
        fy = day.year if day.month >= 4 else day.year - 1
        raise FiscalYearError("ingest.excel_date_serial", value, date=day.isoformat(), fy=fy)


def _parse_text(text: str, value: object) -> int:
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    m = _WESTERN_RE.match(text)
    if m:
        return int(m.group("year"))
    m = _BOTH_RE.match(text)
    if m:
        western = int(m.group("year"))
        era, number, year = _era_year(m.group("era"), m.group("num"), value)
        if year != western:
            raise FiscalYearError(
                "ingest.era_year_mismatch", value, western=western, era=era, year=number, expected=year
            )
        return year
    m = _ERA_RE.match(text)
    if m:
        return _era_year(m.group("era"), m.group("num"), value)[2]
    if text.isdigit() and text.isascii():
        _from_serial(int(text), value)
    raise FiscalYearError("ingest.not_fiscal_year", value)


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
        if not MIN_FY <= year <= MAX_FY:
            _from_serial(year, value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise FiscalYearError("ingest.not_whole_year", value)
        year = int(value)
        if not MIN_FY <= year <= MAX_FY:
            _from_serial(year, value)
    else:
        text = nfkc(str(value)).strip().replace(" ", "")
        if not text:
            return None
        year = _parse_text(text, value)
    if not MIN_FY <= year <= MAX_FY:
        raise FiscalYearError("ingest.fy_out_of_range", value, min=MIN_FY, max=MAX_FY)
    return year
