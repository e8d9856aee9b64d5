"""JSON-safe values from whatever a result holds — the one converter every layer uses.

Results hold pandas frames, numpy scalars, dates, paths, NaN and infinities; JSON has none of them.
:func:`plain` turns them into JSON values once, here, so no package writes its own converter and
``json.dumps(result.to_dict(), allow_nan=False)`` always works. NaN becomes ``None``; ±inf the
strings ``"inf"``/``"-inf"`` (an odds ratio of a zero cell is infinite, and that is information).
Bottom layer: imports nothing of chiiki but :class:`chiiki.i18n.Message`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from chiiki.i18n import Message


def plain(value: Any) -> Any:
    """``value`` as JSON data (see the module docstring for the rules)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if hasattr(value, "to_dict") and not _is_frame(value):
        return plain(value.to_dict())
    if isinstance(value, Message):
        return value.to_dict()
    if _is_frame(value):
        return frame_records(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Sequence | set | frozenset) and not isinstance(value, bytes | bytearray):
        return [plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return plain(value.item())
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _is_frame(value: Any) -> bool:
    mod = type(value).__module__
    return mod.startswith("pandas") and type(value).__name__ in ("DataFrame", "Series")


def frame_records(df: Any) -> dict[str, Any]:
    """A DataFrame (or Series) as ``{"columns": [...], "rows": [{...}, ...]}`` with its index kept."""
    if type(df).__name__ == "Series":
        df = df.to_frame()
    if any(name is not None for name in df.index.names):
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    rows = [{c: plain(v) for c, v in zip(cols, r, strict=True)} for r in df.itertuples(index=False, name=None)]
    return {"columns": cols, "rows": rows}
