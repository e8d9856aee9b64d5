"""Cell parsers: each returns a Python value or raises :class:`~chiiki.ingest.messages.InvalidValue`
(a ValueError carrying a message code) with a reason a user can act on."""

from __future__ import annotations

import re
from functools import lru_cache

from chiiki.ingest.eras import parse_fiscal_year
from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.normalize import nfkc

GRADES = ("S", "A", "B", "C", "D", "-")
_BUDGET_UNITS = {
    "億円": 100.0,
    "百万円": 1.0,
    "万円": 0.01,
    "千円": 0.001,
    "円": 0.000001,
    "億": 100.0,
    "百万": 1.0,
    "万": 0.01,
}
_NUMBER_RE = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out or None


@lru_cache(maxsize=4096)
def _fy_cached(value: str) -> int | None:
    return parse_fiscal_year(value)


def fiscal_year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _fy_cached(value)
    return parse_fiscal_year(value)


@lru_cache(maxsize=256)
def _grade_cached(value: str) -> str | None:
    g = nfkc(value).strip().upper()
    if not g:
        return None
    if g in ("ー", "—", "–", "―"):
        g = "-"
    if g not in GRADES:
        raise InvalidValue("ingest.unknown_grade", value, expected=", ".join(GRADES))
    return g


def grade(value: object) -> str | None:
    if value is None:
        return None
    return _grade_cached(str(value))


def non_negative_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue("ingest.not_a_count", value)
    if isinstance(value, int):
        number = value
    else:
        s = nfkc(str(value)).replace(",", "").strip()
        s = s.removesuffix("社").removesuffix("機関").removesuffix("年").removesuffix("件")
        if s.endswith(".0"):
            s = s[:-2]
        if not s.isdigit():
            raise InvalidValue("ingest.not_whole_number", value)
        number = int(s)
    if number < 0:
        raise InvalidValue("ingest.negative_count", value)
    return number


def million_yen(value: object) -> float | None:
    """Amounts in 百万円; '8.4億円', '840百万円', '1,200' (百万円 assumed) are accepted."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue("ingest.not_an_amount", value)
    if isinstance(value, int | float):
        amount = float(value)
    else:
        s = nfkc(str(value)).replace(",", "").replace(" ", "").lstrip("約~")
        factor = 1.0
        for unit, f in _BUDGET_UNITS.items():
            if s.endswith(unit):
                s, factor = s[: -len(unit)], f
                break
        if not _NUMBER_RE.match(s):
            raise InvalidValue("ingest.not_an_amount", value)
        amount = float(s) * factor
    if amount < 0:
        raise InvalidValue("ingest.negative_amount", value)
    return amount
