"""The factors methods of the Workbench, on real SQLite files and PostgreSQL."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from chiiki import Settings, Workbench
from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.demo import generate_demo, write_demo_database
from chiiki.i18n import Message, render
from chiiki.workbench import WorkbenchError

NUMBERS = ["estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "n", "n_missing"]


def _wb(url: str, lang: str = "en") -> Workbench:
    return Workbench(Settings(db_url=url, lang=lang))


def test_generate_demo_then_analyse(db_url: str) -> None:
    wb = _wb(db_url)
    done = wb.generate_demo(seed=2, n=60)
    d = json.loads(json.dumps(done.to_dict(), allow_nan=False))
    assert done.counts["adoptions"] == 60 and d["counts"]["adoptions"] == 60
    assert done.message.code == "factors.demo_written" and done.message.params["seed"] == 2
    assert render(done.message, "en").startswith("Synthetic data written (seed 2): 60 adoptions")
    assert d["data"]["effects"]["final_grade_S"] == {"outcome": "successor", "odds_ratio": 5.0}
    assert [render(m, "en") for m in d["data"]["planted"]][0] == (
        "planted effect: Final evaluation graded S → Successor adoption, odds ratio 5"
    )

    analysis = wb.analyse(bootstrap=0)
    assert analysis.n == 60
    json.dumps(analysis.to_dict(), allow_nan=False)
    # the database round trip gives the numbers of the in-memory registry
    direct = run_analysis(generate_demo(seed=2, n=60), AnalysisParams(bootstrap=0))
    pd.testing.assert_frame_equal(analysis.key_factors[NUMBERS], direct.key_factors[NUMBERS])
    assert analysis.data_hash == direct.data_hash

    table = wb.key_factor_table(analysis)
    t = json.loads(json.dumps(table.to_dict(), allow_nan=False))
    assert t["n"] == len(analysis.key_factors) and t["title"]["code"] == "factors.key_factors_title"
    assert "factor_label" in t["columns"] and "evidence_label" in t["columns"]
    assert isinstance(table.rows[0]["factor_label"], Message)
    assert t["rows"][0]["factor_label"]["code"] == "factors.factor.final_grade_S"
    assert [w["code"] for w in t["warnings"]] == [w.code for w in analysis.warnings]


def test_analyse_takes_the_window_and_cutoff(db_url: str) -> None:
    wb = _wb(db_url)
    wb.generate_demo(seed=3, n=40)
    a = wb.analyse(window=3, cutoff=2016, bootstrap=0, qca=False, methods=["fisher"])
    assert a.parameters["successor_window_years"] == 3 and a.parameters["cutoff_fy"] == 2016
    assert a.parameters["methods"] == ["fisher"] and a.qca is None
    # ``methods`` chooses the crude tests; every factor still gets its adjusted row
    assert set(a.key_factors["method"]) == {"fisher", "cox", "mh_exact", "firth_adjusted", "cox_stratified"}
    crude = a.key_factors[a.key_factors["analysis"] == "crude"]
    assert set(crude["method"]) == {"fisher", "cox"}


def test_unknown_parameter_is_a_user_error(sqlite_url: str) -> None:
    with pytest.raises(WorkbenchError) as err:
        _wb(sqlite_url).analyse(lang="en")
    assert err.value.message.code == "factors.unknown_parameter" and err.value.message.params == {"name": "lang"}


def test_demo_database_is_stamped_so_every_command_opens_it(db_url: str) -> None:
    """Regression: ``demo generate`` wrote tables without an Alembic stamp, and every later
    ``ensure_schema`` (``report``, ``summary``) tried to upgrade them and failed."""
    from chiiki.model.db import dispose_engines, get_engine
    from chiiki.model.migrate import current_revision, ensure_schema, head_revision

    _wb(db_url).generate_demo(seed=1, n=30)
    dispose_engines()
    engine = get_engine(db_url)
    assert current_revision(engine) == head_revision(engine) is not None
    assert ensure_schema(engine) == "current"
    assert _wb(db_url).analyse(bootstrap=0).n == 30  # a fresh workbench opens it too


def test_write_demo_database_is_stamped_too(db_url: str) -> None:
    from chiiki.model.db import get_engine
    from chiiki.model.migrate import current_revision, head_revision

    counts = write_demo_database(generate_demo(seed=1, n=20), db_url)
    assert counts["adoptions"] == 20
    engine = get_engine(db_url)
    assert current_revision(engine) == head_revision(engine)


def test_rows_added_after_the_demo_get_new_ids(db_url: str) -> None:
    """The demo inserts hubs and organizations with explicit ids; on PostgreSQL the id sequence
    must be moved past them, or the next hub a lineage rebuild adds collides with hub 1."""
    from chiiki.model.db import session_scope
    from chiiki.model.registry import Hub, Organization

    done = _wb(db_url).generate_demo(seed=1, n=30)
    with session_scope(db_url) as s:
        hub = Hub(key="new-hub", name="new")
        org = Organization(key="new-org", name="new", kind="company")
        s.add_all([hub, org])
        s.flush()
        assert hub.id > done.counts["hubs"] and org.id > done.counts["organizations"]


def test_demo_refuses_a_database_that_holds_adoptions(bundled_db: str) -> None:
    with pytest.raises(WorkbenchError) as err:
        _wb(bundled_db).generate_demo(seed=1, n=20)
    assert err.value.message.code == "factors.demo_not_empty"
    assert "not synthetic" in render(err.value.message, "en")
    assert "実データを含むデータベース" in render(err.value.message, "ja")


def test_demo_refuses_to_write_twice(db_url: str) -> None:
    wb = _wb(db_url)
    wb.generate_demo(seed=1, n=20)
    with pytest.raises(WorkbenchError) as err:
        wb.generate_demo(seed=2, n=20)
    assert err.value.message.code == "factors.demo_exists" and err.value.message.params == {"n": 20}
    assert _wb(db_url).analyse(bootstrap=0, survival=False, qca=False).n == 20  # nothing was added
