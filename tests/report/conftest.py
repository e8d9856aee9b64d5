"""Fixtures for the report tests: the real report of the bundled data, built once.

``bundled_reports`` runs ``chiiki report`` in-process (``chiiki.cli.main.invoke``) on the bundled
registry and hearings loaded by ``Workbench.init``: the Japanese report on SQLite and the English
one on PostgreSQL (on SQLite too when no server runs). It also keeps what the tests compare the
report against, read from the same databases: the real ``FactorAnalysis`` of the engine, the
registry frames the Workbench hands to the report, the data hash, and every text value the
databases hold (the only Japanese an English report may contain). Everything is read while the
fixture sets up, so later tests may drop the PostgreSQL schema (``db_url``) without harm.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

PG_URL = os.environ.get("CHIIKI_TEST_PG_URL")
# text columns that hold documents, not names: an English report never shows them
NOT_DATA_VALUES = {("documents", "text"), ("qda_segments", "memo")}


@dataclass
class Built:
    """One ``chiiki report`` run and what the database it read holds."""

    lang: str
    backend: str
    url: str
    out: Path
    result: Any  # click.testing.Result
    data_strings: set[str]
    data_hash: str


@dataclass
class Bundled:
    ja: Built
    en: Built
    analysis: Any  # chiiki.factors.FactorAnalysis of the bundled data (the engine's, not a copy)
    programs: Any
    adoptions: Any
    hearings: Any  # Workbench.hearings_chapter() of the bundled data, or None


def fresh_url(backend: str, path: Path) -> str:
    """An empty database on ``backend`` ("sqlite": a new file under ``path``)."""
    if backend == "postgresql":
        from chiiki.model.db import dispose_engines, get_engine
        from chiiki.model.migrate import drop_schema

        assert PG_URL
        dispose_engines()
        drop_schema(get_engine(PG_URL))
        return PG_URL
    return f"sqlite:///{path / 'chiiki.db'}"


def data_strings(url: str) -> set[str]:
    """Every text value of every table (names, titles, regions, sources…), URLs also decoded."""
    from sqlalchemy import MetaData, String, Text, select

    from chiiki.model.db import get_engine

    engine = get_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out: set[str] = set()
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            cols = [
                c
                for c in table.columns
                if isinstance(c.type, String | Text) and (table.name, c.name) not in NOT_DATA_VALUES
            ]
            if not cols:
                continue
            for row in conn.execute(select(*cols)):
                for value in row:
                    if isinstance(value, str) and value:
                        out.add(value)
                        out.add(unquote(value))
    return out


def bundled_workbench(url: str, lang: str = "ja") -> Any:
    from chiiki import Settings, Workbench

    wb = Workbench(Settings(db_url=url, lang=lang))
    wb.init()
    return wb


def _build(lang: str, backend: str, base: Path) -> tuple[Built, Any]:
    from chiiki.cli.main import invoke
    from chiiki.factors.data import data_hash, load_analysis_data
    from chiiki.model.db import session_scope

    url = fresh_url(backend, base)
    wb = bundled_workbench(url, lang)
    out = base / f"report_{lang}"
    args = (
        ["report", "-o", str(out), "--db", url]
        if lang == "ja"
        else ["--lang", "en", "report", "-o", str(out), "--db", url]
    )
    result = invoke(args, env={})
    with session_scope(url) as session:
        digest = data_hash(load_analysis_data(session))
    return Built(lang, backend, url, out, result, data_strings(url), digest), wb


@pytest.fixture(scope="session")
def bundled_reports(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from chiiki.model.db import dispose_engines
    from chiiki.workbench.report_api import registry_frames

    ja, wb = _build("ja", "sqlite", tmp_path_factory.mktemp("ja"))
    analysis = wb.analyse(window=5)
    with wb.session() as s:
        programs, adoptions = registry_frames(s)
    try:
        hearings = wb.hearings_chapter(include_personal=False)
    except AttributeError:  # hearings chapter not in this build
        hearings = None
    en, _wb = _build("en", "postgresql" if PG_URL else "sqlite", tmp_path_factory.mktemp("en"))
    dispose_engines()
    return Bundled(ja=ja, en=en, analysis=analysis, programs=programs, adoptions=adoptions, hearings=hearings)
