"""Code tables never add coders up, and leave sample records out unless asked.

Two coders coded the same span of one document (and one span each of their own): the old
``code matrix`` counted that shared span twice (2 instead of 1) and counted the sample
documents' segments too; agreement included sample documents. Each test fails on that code.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from chiiki.cli.main import invoke
from chiiki.workbench import Workbench
from chiiki.workbench.errors import WorkbenchError

TEXT = "地域の連携が大事です。人材の育成も大事です。資金も要ります。"


def _run(db: str, *args: str, code: int = 0, lang: str = "en"):
    result = invoke(["--lang", lang, "--db", db, *args], env={})
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


@pytest.fixture
def coded(db: str, tmp_path: Path) -> str:
    """Two real documents of hearing h1 and one of a sample hearing, coded by A and B."""
    wb = Workbench.open(db, lang="en")
    wb.add_hearing("h1", "Visit", region="鶴岡地域")
    wb.add_hearing("demo", "Made up", region="架空地域", sample=True)
    for i, (hearing, body) in enumerate([("h1", TEXT), ("h1", TEXT + "以上。"), ("demo", TEXT + "架空。")]):
        p = tmp_path / f"d{i}.txt"
        p.write_text(body, encoding="utf-8")
        wb.import_document(p, hearing=hearing, source_type="report")
    wb.codebook_add("連携")
    wb.codebook_add("人材")
    for coder in ("A", "B"):
        wb.apply_code(1, "連携", search="連携", coder=coder)  # the same span, both coders
        wb.apply_code(3, "連携", search="連携", coder=coder)  # in the sample document
    wb.apply_code(1, "人材", search="人材", coder="A")  # only A
    wb.apply_code(2, "人材", search="人材", coder="B")  # only B, another document
    wb.close()
    return db


def _matrix(db: str, *args: str) -> pd.DataFrame:
    out = _run(db, "code", "matrix", "--by", "hearing", "--format", "csv", *args).stdout
    return pd.read_csv(io.StringIO(out)).set_index("code")


def test_several_coders_need_a_coder_or_a_rule(coded: str) -> None:
    refused = _run(coded, "code", "matrix", code=1)
    assert "2 coders (A, B)" in refused.stderr and "--rule agreed|union" in refused.stderr
    with Workbench.open(coded) as wb, pytest.raises(WorkbenchError) as info:
        wb.code_frequencies()
    assert info.value.message.code == "hearings.matrix_needs_coder"


def test_one_coder_an_agreed_rule_or_a_union_never_a_sum(coded: str) -> None:
    a = _matrix(coded, "--coder", "A")
    assert a.loc["連携", "h1"] == 1 and a.loc["人材", "h1"] == 1
    agreed = _matrix(coded, "--rule", "agreed")
    assert agreed.loc["連携", "h1"] == 1 and "人材" not in agreed.index
    union = _matrix(coded, "--rule", "union")
    assert union.loc["連携", "h1"] == 1  # the shared span once (the old sum gave 2)
    assert union.loc["人材", "h1"] == 2  # A's span in document 1 and B's in document 2
    freq = pd.read_csv(
        io.StringIO(_run(coded, "code", "frequencies", "--rule", "union", "--format", "csv").stdout)
    ).set_index("code")
    assert freq.loc["連携", "segments"] == 1 and freq.loc["人材", "documents"] == 2
    assert freq.loc["人材", "hearings"] == 1


def test_sample_records_are_left_out_of_code_tables_and_agreement_unless_asked(coded: str) -> None:
    result = _run(coded, "code", "matrix", "--by", "hearing", "--coder", "A", "--format", "csv")
    assert "demo" not in result.stdout.splitlines()[0]
    assert "1 coded segment of sample documents left out" in result.stderr
    included = _matrix(coded, "--coder", "A", "--include-samples")
    assert included.loc["連携", "demo"] == 1
    with Workbench.open(coded) as wb:
        plain = {r["code"]: r for r in wb.agreement("A", "B").rows}
        with_samples = {r["code"]: r for r in wb.agreement("A", "B", include_samples=True).rows}
    # units are the documents both coders coded: document 1, and the sample document 3 only when asked
    assert plain["連携"]["units"] == 1 and with_samples["連携"]["units"] == 2


def test_the_report_chapter_shows_the_agreed_table_and_each_coders(coded: str) -> None:
    with Workbench.open(coded, lang="en") as wb:
        chapter = wb.hearings_chapter(figures=False)
        with_samples = wb.hearings_chapter(figures=False, samples=True)
    assert chapter.codes_rule is not None and chapter.codes_rule.params["coders"] == "A, B"
    assert set(chapter.codes_by_coder) == {"A", "B"}
    assert [r["region"] for r in chapter.overview.rows] == ["鶴岡地域"]  # the sample hearing left out
    assert any(m.code == "hearings.samples_left_out" for m in chapter.messages)
    regions = [r["region"] for r in with_samples.overview.rows]
    assert regions == ["鶴岡地域", "[sample]架空地域"]
