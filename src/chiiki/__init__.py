"""chiiki — workbench for regional innovation ecosystem research.

``from chiiki import Workbench, Settings`` is the Python entry point (see :mod:`chiiki.workbench`);
both are loaded on first use so ``import chiiki`` stays light for the CLI's start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Settings", "Workbench", "WorkbenchError", "__version__"]

if TYPE_CHECKING:
    from chiiki.workbench import Settings, Workbench, WorkbenchError


def __getattr__(name: str) -> Any:
    if name in ("Workbench", "Settings", "WorkbenchError"):
        import chiiki.workbench as wb

        return getattr(wb, name)
    raise AttributeError(f"module 'chiiki' has no attribute {name!r}")
