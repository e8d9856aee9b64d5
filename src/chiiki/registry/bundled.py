"""The bundled, source-cited registry (see data/registry/README.md), loaded by `chiiki db init`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from chiiki.registry.imports import ImportReport, import_file
from chiiki.registry.lineage import LineageSummary, rebuild
from chiiki.registry.organizations import derive_participations

BUNDLED_FILES = (
    ("programs", "programs.csv"),
    ("adoptions", "adoptions.csv"),
    ("links", "successor_links.csv"),
    ("events", "events.csv"),
)


def bundled_dir() -> Path:
    return Path(str(resources.files("chiiki") / "data" / "registry"))


@dataclass
class DerivedSummary:
    participations: int
    lineage: LineageSummary


def refresh_derived(session: Session, window: int = 5) -> DerivedSummary:
    """Rebuild what is computed from the adoption rows: participations, lineage links, hubs."""
    n = derive_participations(session)
    return DerivedSummary(n, rebuild(session, window))


def load_bundled(session: Session) -> list[ImportReport]:
    """Import the bundled files through the same path as `chiiki import` (idempotent)."""
    base = bundled_dir()
    reports = [import_file(session, base / name, table) for table, name in BUNDLED_FILES]
    refresh_derived(session)
    return reports
