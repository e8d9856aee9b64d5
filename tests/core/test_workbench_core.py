"""The Workbench's core: explicit settings, sessions, the personal-data permission, results."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiiki import Settings, Workbench, WorkbenchError
from chiiki.i18n import msg
from chiiki.workbench.results import Done, Table, plain


def test_import_from_the_package() -> None:
    import chiiki

    assert chiiki.Workbench is Workbench
    assert chiiki.Settings is Settings


def test_settings_precedence(tmp_path: Path) -> None:
    env = {"CHIIKI_DB_URL": "postgresql+psycopg://u@h/db", "CHIIKI_HOME": str(tmp_path / "home")}
    assert Settings.from_env(db=str(tmp_path / "a.db"), environ=env).db_url == f"sqlite:///{tmp_path / 'a.db'}"
    assert Settings.from_env(environ=env).db_url == "postgresql+psycopg://u@h/db"
    assert Settings.from_env(environ={"CHIIKI_HOME": str(tmp_path)}).db_url == f"sqlite:///{tmp_path / 'chiiki.db'}"
    assert Settings.from_env(environ={}, cwd=tmp_path).db_url == f"sqlite:///{tmp_path / 'chiiki.db'}"
    assert Settings.from_env(environ={"CHIIKI_LANG": "en"}, cwd=tmp_path).lang == "en"
    assert Settings.from_env(lang="ja", environ={"CHIIKI_LANG": "en"}, cwd=tmp_path).lang == "ja"
    with pytest.raises(ValueError):
        Settings(db_url="sqlite://", lang="de")


def test_settings_do_not_touch_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHIIKI_DB_URL", raising=False)
    import os

    before = dict(os.environ)
    wb = Workbench.open(tmp_path / "x.db", lang="en")
    wb.init(bundled=False)
    with wb.session():
        pass
    assert dict(os.environ) == before
    assert (tmp_path / "x.db").exists()
    wb.close()


def test_only_init_creates_a_database(tmp_path: Path) -> None:
    """A read with a mistyped path must not create an empty database and report zero counts."""
    wb = Workbench.open(tmp_path / "typo.db", lang="en")
    with pytest.raises(WorkbenchError) as err:
        wb.summary()
    assert err.value.message.code == "workbench.no_database" and "typo.db" in wb.render(err.value.message)
    assert not (tmp_path / "typo.db").exists()
    wb.init(bundled=False)
    assert (tmp_path / "typo.db").exists() and wb.summary() is not None


def test_two_workbenches_two_languages_one_process(tmp_path: Path) -> None:
    ja = Workbench.open(tmp_path / "a.db", lang="ja")
    en = Workbench.open(tmp_path / "b.db", lang="en")
    m = msg("workbench.schema_missing", "error")
    assert ja.render(m) != en.render(m)
    assert ja.describe_db().endswith("a.db") and en.describe_db().endswith("b.db")


def test_personal_data_needs_permission(tmp_path: Path) -> None:
    owner = Workbench.open(tmp_path / "a.db")
    viewer = Workbench(Settings(db_url=owner.settings.db_url, allow_personal=False, user="coder2"))
    assert owner.personal_allowed(True) is True
    assert owner.personal_allowed(False) is False
    assert viewer.personal_allowed(False) is False
    with pytest.raises(WorkbenchError) as err:
        viewer.personal_allowed(True)
    assert err.value.message.code == "workbench.personal_not_allowed"
    assert "coder2" in viewer.render(err.value.message)


def test_database_errors_become_workbench_errors(tmp_path: Path) -> None:
    wb = Workbench.open(tmp_path / "a.db")
    wb.init(bundled=False)
    from sqlalchemy import text

    with pytest.raises(WorkbenchError) as err, wb.session() as s:
        s.execute(text("select * from no_such_table_here"))
    assert err.value.message.code == "workbench.schema_missing"
    json.dumps(err.value.to_dict(), allow_nan=False)


def test_a_bug_is_not_disguised(tmp_path: Path) -> None:
    wb = Workbench.open(tmp_path / "a.db")
    wb.init(bundled=False)
    with pytest.raises(ZeroDivisionError), wb.session():
        _ = 1 / 0


def test_plain_makes_json() -> None:
    value = {
        "nan": math.nan,
        "inf": np.float64(math.inf),
        "ninf": -math.inf,
        "np": np.int64(3),
        "df": pd.DataFrame({"a": [1.0, np.nan]}, index=pd.Index(["x", "y"], name="k")),
        "path": Path("/tmp/x"),
        "msg": msg("workbench.database_error", detail="d"),
        "tuple": (1, 2),
        "na": pd.NA,
    }
    out = json.loads(json.dumps(plain(value), allow_nan=False))
    assert out["nan"] is None and out["inf"] == "inf" and out["ninf"] == "-inf" and out["np"] == 3
    assert out["df"] == {"columns": ["k", "a"], "rows": [{"k": "x", "a": 1.0}, {"k": "y", "a": None}]}
    assert out["path"] == "/tmp/x" and out["msg"]["code"] == "workbench.database_error"
    assert out["tuple"] == [1, 2] and out["na"] is None


def test_table_and_done_serialize(tmp_path: Path) -> None:
    t = Table.from_frame(pd.DataFrame({"x": [math.inf, 1.5]}), title=msg("workbench.schema_missing"))
    d = json.loads(json.dumps(t.to_dict(), allow_nan=False))
    assert d["rows"] == [{"x": "inf"}, {"x": 1.5}] and d["n"] == 2
    done = Done(msg("workbench.schema_missing"), counts={"a": np.int64(2)}, paths=[tmp_path])
    d = json.loads(json.dumps(done.to_dict(), allow_nan=False))
    assert d["counts"] == {"a": 2} and d["paths"] == [str(tmp_path)]


def test_analysis_cache_follows_the_data(tmp_path: Path) -> None:
    """A repeated analysis is served from the cache, but any change to the rows it reads (here
    an imported end FY) gives a new analysis, and a caller's changes never reach the cache."""
    import csv
    import io

    wb = Workbench.open(tmp_path / "a.db")
    wb.init()
    first = wb.analyse(bootstrap=0)
    again = wb.analyse(bootstrap=0)
    assert again is not first
    assert json.dumps(again.to_dict(), allow_nan=False) == json.dumps(first.to_dict(), allow_nan=False)
    again.exclusions["mutated"] = 1
    assert "mutated" not in wb.analyse(bootstrap=0).exclusions
    buf = io.StringIO()
    wb.export_table("adoptions", "csv", out=buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    undated = next(r for r in rows if r["start_fy"] and not r["end_fy"])
    undated["end_fy"] = str(int(undated["start_fy"]) + 3)
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow(undated)
    wb.import_file(path)
    changed = wb.analyse(bootstrap=0)
    assert changed.data_hash != first.data_hash
    assert sum(changed.exclusions.values()) != sum(first.exclusions.values()) or changed.n != first.n
