"""The text commands on a real database (SQLite file and PostgreSQL): ``--doc``, sample documents
left out unless asked, the stop-word list stated, labels gone, atomic files (issue 9, items 7–8).

The transcripts are made up for the tests and imported as samples (``sample=True``); the one
real document is the survey report in ../shared/seed (not a sample). Each test fails on the code
before issue 9: ``documents`` was not a selection option, samples were included by default and
no result said how many were left out, labels were terms, files were written in place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chiiki import Settings, Workbench
from chiiki.cli.main import invoke
from chiiki.workbench.errors import WorkbenchError

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a6dc0c6e9091a970.txt"

# SAMPLE: made-up transcripts (no real interview).
TRANSCRIPTS = {
    "t1.txt": "聞き手：拠点の資金はどうでしたか。\n佐藤（回答者）：補助金と地方自\n治体の予算でした。\n"
    "聞き手：人材は？\n佐藤（回答者）：コーディネーターが大学と企業をつなぎました。\n",
    "t2.txt": "Q：拠点の課題は何ですか。\nA：人材の確保と資金です。\n"
    "Q：大学との関係は？\nA：共同研究が続いています。\n",
    "t3.txt": "インタビュアー：財団の役割は。\n山田：企業と大学の仲介です。\n"
    "インタビュアー：資金は。\n山田：補助金が中心でした。\n",
}
LABELS = {"聞き手", "回答者", "佐藤", "q", "a", "インタビュアー", "山田"}


@pytest.fixture
def wb(db_url: str, tmp_path: Path) -> Workbench:
    workbench = Workbench(Settings(db_url=db_url, lang="en"))
    workbench.ensure_schema(create=True)
    return workbench


@pytest.fixture
def loaded(wb: Workbench, tmp_path: Path) -> dict[str, int]:
    """Three sample transcripts and (when ../shared is there) the real report; name → id."""
    ids: dict[str, int] = {}
    for name, text in TRANSCRIPTS.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        ids[name] = _id(wb.import_document(path, sample=True, personal=False, source_type="transcript"))
    if SEED.exists():
        ids["seed"] = _id(wb.import_document(SEED, source_type="report", personal=False))
    return ids


def _id(done: object) -> int:
    """The id of an imported document (``Done.data`` since issue 9's document commands)."""
    data = getattr(done, "data", None) or {}
    return int(data.get("id") or done.counts["id"])  # type: ignore[attr-defined]


def _codes(messages) -> list[str]:
    return [m.code for m in messages]


def test_samples_are_left_out_unless_asked_and_counted(wb: Workbench, loaded: dict[str, int]) -> None:
    if "seed" not in loaded:
        pytest.skip("seed document not available")
    table = wb.text_freq(None)
    notice = next(m for m in table.warnings if m.code == "text.samples_left_out")
    assert notice.params["n"] == 3
    assert table.title is not None and table.title.params["n"] == 1  # the real report alone
    assert "コーディネーター" not in {r["term"] for r in table.rows if r["df"] > 1}
    with_samples = wb.text_freq(None, samples=True)
    assert with_samples.title is not None and with_samples.title.params["n"] == 4
    assert "text.samples_left_out" not in _codes(with_samples.warnings)


def test_labels_are_not_terms_of_frequency_list_or_network(wb: Workbench, loaded: dict[str, int]) -> None:
    docs = [loaded[n] for n in TRANSCRIPTS]
    sel = {"samples": True, "documents": [str(i) for i in docs]}
    terms = {str(r["term"]) for r in wb.text_freq(None, **sel).rows}
    assert not LABELS & terms, sorted(LABELS & terms)
    assert {"拠点", "資金", "地方自治体", "補助金"} <= terms
    net = wb.text_network(min_df=2, top_n=200, **sel)
    nodes = {str(r["term"]) for r in net.nodes.rows}
    assert nodes and not LABELS & nodes
    assert "text.network_few_documents" in _codes(net.warnings)  # 3 documents


def test_doc_filter_and_unknown_document(wb: Workbench, loaded: dict[str, int]) -> None:
    one = str(loaded["t2.txt"])
    table = wb.text_freq(None, samples=True, documents=[one])
    assert table.title is not None and table.title.params["n"] == 1
    assert {"確保", "共同研究"} & {str(r["term"]) for r in table.rows}
    assert "補助金" not in {str(r["term"]) for r in table.rows}  # only in t1 and t3
    kwic = wb.text_kwic("資金", samples=True, documents=[one])
    assert {r["document_id"] for r in kwic.rows} == {int(one)}
    with pytest.raises(WorkbenchError) as err:
        wb.text_freq(None, samples=True, documents=[one, "9999"])
    assert err.value.message.code == "text.unknown_document" and err.value.message.params["ref"] == "9999"
    # a sample named with --doc is still left out without --include-samples, and the result says why
    with pytest.raises(WorkbenchError) as err:
        wb.text_freq(None, documents=[one])
    assert err.value.message.code == "text.no_documents"
    assert "text.samples_left_out" in _codes(err.value.details)


def test_stopwords_file_is_used_and_stated(wb: Workbench, loaded: dict[str, int], tmp_path: Path) -> None:
    words = tmp_path / "stop.txt"
    words.write_text("# project words\n拠点\n", encoding="utf-8")
    sel = {"samples": True, "documents": [str(loaded[n]) for n in TRANSCRIPTS]}
    default = wb.text_freq(None, **sel)
    assert "text.stopwords_builtin" in _codes(default.warnings)
    assert "拠点" in {r["term"] for r in default.rows}
    added = wb.text_freq(None, stopwords=words, **sel)
    used = next(m for m in added.warnings if m.code == "text.stopwords_added")
    assert used.params["file"] == str(words) and used.params["n"] > 50
    assert "拠点" not in {r["term"] for r in added.rows}
    replaced = wb.text_network(min_df=1, stopwords=words, stopwords_mode="replace", **sel)
    used = next(m for m in replaced.warnings if m.code == "text.stopwords_replaced")
    assert used.params["n"] == 1
    with pytest.raises(WorkbenchError) as err:
        wb.text_freq(None, stopwords=tmp_path / "none.txt", **sel)
    assert err.value.message.code == "text.stopwords_missing"


def test_an_interrupted_csv_leaves_no_file(wb: Workbench, loaded: dict[str, int], tmp_path: Path, monkeypatch) -> None:
    """Files go through chiiki.ingest.atomic: a failure before the rename leaves nothing behind."""
    import chiiki.ingest.atomic as atomic

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    out = tmp_path / "freq.csv"
    with pytest.raises(OSError):
        wb.text_freq(None, out=out, samples=True)
    assert not out.exists()
    assert not list(tmp_path.glob(".freq.csv.*"))


def test_cli_doc_include_samples_and_stopwords(
    wb: Workbench, loaded: dict[str, int], db_url: str, tmp_path: Path
) -> None:
    words = tmp_path / "stop.txt"
    words.write_text("資金\n", encoding="utf-8")
    one = str(loaded["t3.txt"])
    base = ["--lang", "en", "--db", db_url, "text"]
    result = invoke([*base, "freq", "--doc", one, "--include-samples", "--stopwords", str(words), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert "補助金" in result.stdout and "資金," not in result.stdout and "インタビュアー" not in result.stdout
    assert "Stop words: the built-in list and" in result.stderr
    result = invoke([*base, "network", "--doc", one, "--doc", "4711", "--include-samples"])
    assert result.exit_code != 0 and "4711" in result.stderr
    result = invoke([*base, "kwic", "資金", "--doc", one])
    assert result.exit_code != 0
    assert "sample document left out" in result.stderr
