"""ARCHITECTURE.md stays true: every module under src/chiiki is named in it."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "chiiki"


def modules() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in rel:
            continue  # Alembic revisions are listed by their folder
        out.append(rel)
    return out


def test_every_module_is_named_in_architecture_md() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for rel in modules():
        if rel.endswith("__init__.py"):
            name = rel[: -len("__init__.py")] or "chiiki/"
            if name not in text and rel != "__init__.py":
                missing.append(name)
        elif f"`{rel}`" not in text:
            missing.append(rel)
    assert missing == [], f"ARCHITECTURE.md does not name: {missing}"


def test_architecture_names_no_module_that_does_not_exist() -> None:
    import re

    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_0-9]+)*\.py)`", text))
    named = {n for n in named if not n.startswith(("scripts/", "tests/", "bench/"))}
    existing = set(modules())
    assert sorted(named - existing) == []
