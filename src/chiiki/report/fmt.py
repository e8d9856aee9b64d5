"""Number and cell formatting for the HTML/PDF tables (the xlsx keeps raw values).

Missing values print as an em dash, never as 0 or "nan": an empty cell means "not found".
"""

from __future__ import annotations

import math

MISSING = "—"


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA/NaT (scalars only; lists and strings are values)."""
    if value is None:
        return True
    if isinstance(value, str | list | tuple | dict | set | frozenset):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(value: object, digits: int = 2) -> str:
    if is_missing(value):
        return MISSING
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x.is_integer() and abs(x) < 1e15 and digits == 0:
        return str(int(x))
    return f"{x:.{digits}f}"


def integer(value: object) -> str:
    if is_missing(value):
        return MISSING
    try:
        return str(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)


def pvalue(value: object) -> str:
    if is_missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def ci(low: object, high: object, digits: int = 2) -> str:
    if is_missing(low) and is_missing(high):
        return MISSING
    return f"{num(low, digits)}–{num(high, digits)}"


def share(k: object, n: object) -> str:
    """'k (p%)' of n; the count alone when n is 0 or unknown."""
    if is_missing(k):
        return MISSING
    k_i = int(k)  # type: ignore[call-overload]
    if is_missing(n) or not int(n):  # type: ignore[call-overload]
        return str(k_i)
    return f"{k_i} ({k_i / int(n):.0%})"  # type: ignore[call-overload]


def text(value: object) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value) if value else MISSING
    if isinstance(value, dict):
        return "; ".join(f"{k} = {v}" for k, v in value.items()) if value else MISSING
    if isinstance(value, float):
        return num(value, 3)
    return str(value) or MISSING
