"""A small result object shared by the package: ``.summary`` DataFrame, ``.warnings``, ``.n``.

Domain results stay inside the Workbench, which turns them into serializable results
(:mod:`chiiki.workbench.results`); warnings are :class:`~chiiki.i18n.Message` objects already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chiiki.i18n import Message


@dataclass
class Result:
    """What every analysis returns, so CLI, web and report only format it (never recompute)."""

    summary: Any  # pandas.DataFrame (kept untyped so importing this module stays cheap)
    warnings: list[Message] = field(default_factory=list)
    n: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
