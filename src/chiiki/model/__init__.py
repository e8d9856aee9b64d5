"""Database model: SQLAlchemy 2.0 tables, sessions and migrations."""

from chiiki.model import accounts as _accounts  # noqa: F401  (registers the accounts tables)
from chiiki.model import hearings as _hearings  # noqa: F401  (registers the hearing tables)
from chiiki.model.base import Base
from chiiki.model.registry import (
    Adoption,
    AdoptionPerson,
    Hub,
    LineageLink,
    Organization,
    Participation,
    Person,
    PostProgramEvent,
    Program,
    ResearchProject,
)
from chiiki.model.sources import Citation, Source

__all__ = [
    "Adoption",
    "AdoptionPerson",
    "Base",
    "Citation",
    "Hub",
    "LineageLink",
    "Organization",
    "Participation",
    "Person",
    "PostProgramEvent",
    "Program",
    "ResearchProject",
    "Source",
]
