"""Export round-trips through import unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import select

from chiiki.model.db import session_scope
from chiiki.model.registry import Adoption
from chiiki.registry.export import export_rows, write_csv, write_json, write_xlsx
from chiiki.registry.imports import import_file


def _rows(url: str) -> list[dict]:
    with session_scope(url) as s:
        cols, rows = export_rows(s, "adoptions")
        return list(rows)


def test_csv_round_trip(bundled_db: str, tmp_path: Path) -> None:
    before = _rows(bundled_db)
    path = tmp_path / "adoptions.csv"
    with session_scope(bundled_db) as s, path.open("w", encoding="utf-8", newline="") as fh:
        cols, rows = export_rows(s, "adoptions")
        assert write_csv(cols, rows, fh) == 121
    with session_scope(bundled_db) as s:
        report = import_file(s, path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 121)
    assert _rows(bundled_db) == before


def test_csv_round_trip_into_an_empty_database(bundled_db: str, tmp_path: Path) -> None:
    """Programs then adoptions exported from one database recreate the same rows in another."""
    other = f"sqlite:///{tmp_path / 'other.db'}"
    from chiiki.model.db import get_engine
    from chiiki.model.migrate import ensure_schema

    ensure_schema(get_engine(other))
    for table in ("programs", "adoptions"):
        path = tmp_path / f"{table}.csv"
        with session_scope(bundled_db) as s, path.open("w", encoding="utf-8", newline="") as fh:
            write_csv(*export_rows(s, table), fh)
        with session_scope(other) as s:
            import_file(s, path, table)
    assert _rows(other) == _rows(bundled_db)


def test_xlsx_round_trip(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "adoptions.xlsx"
    with session_scope(bundled_db) as s:
        write_xlsx(*export_rows(s, "adoptions"), path, "adoptions")
    with session_scope(bundled_db) as s:
        report = import_file(s, path)
    assert (report.inserted, report.updated) == (0, 0)


def test_json_is_a_list_of_objects_with_english_columns(bundled_db: str) -> None:
    buf = io.StringIO()
    with session_scope(bundled_db) as s:
        write_json(*export_rows(s, "adoptions"), buf)
    data = json.loads(buf.getvalue())
    assert len(data) == 121
    tsukuba = next(r for r in data if r["adoption_id"] == "ECO-2016-tsukuba")
    assert tsukuba["final_grade"] == "S" and tsukuba["start_fy"] == 2016
    with session_scope(bundled_db) as s:
        assert s.get(Adoption, "ECO-2016-tsukuba").title == tsukuba["title"]
    assert set(select(Adoption.id).selected_columns.keys()) <= set(data[0]) | {"id"}
