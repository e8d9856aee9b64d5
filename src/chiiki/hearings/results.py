"""A small result object shared by the package: ``.summary`` DataFrame, ``.warnings``, ``.n``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    """What every analysis returns, so CLI, web and report only format it (never recompute)."""

    summary: Any  # pandas.DataFrame (kept untyped so importing this module stays cheap)
    warnings: list[str] = field(default_factory=list)
    n: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
