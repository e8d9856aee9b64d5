"""The registry through ``chiiki.Workbench`` only, as a script or the web app would use it — on
SQLite and PostgreSQL, with a real CP932 file: every result serializes, no ORM row leaves, errors
are messages, and English output has no Japanese but the data's own."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import pytest

from chiiki import Settings, Workbench, WorkbenchError
from chiiki.cli.main import invoke
from chiiki.i18n import Message, render, translator

JAPANESE_RUN = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f]+")
LETTER = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
CP932_ROWS = (
    "事業名,都道府県名,エリア名,課題名,事業開始年度,事業終了年度,中間評価,事後評価,事業予算の総額\n"
    "地域イノベーション・エコシステム形成プログラム,宮城県,【仙台ワークベンチ地域】,課題一,平成28年度,R2,Ａ,Ｓ,8.4億円\n"
    "地域イノベーション・エコシステム形成プログラム,宮城県,【仙台ワークベンチ地域】,課題二,令和3年度,R7,,,\n"
)


def _json(result: object) -> dict:
    data = result.to_dict()  # type: ignore[attr-defined]
    json.dumps(data, allow_nan=False)
    return data


def _no_orm(value: object, seen: set[int] | None = None) -> None:
    """Fail if an ORM row hides anywhere in a result (dataclass fields, lists, dicts)."""
    from chiiki.model.base import Base

    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    assert not isinstance(value, Base), f"an ORM object left the Workbench: {value!r}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _no_orm(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for v in value.values():
            _no_orm(v, seen)
    elif isinstance(value, list | tuple):
        for v in value:
            _no_orm(v, seen)


@pytest.fixture
def wb(db_url: str) -> Workbench:
    bench = Workbench(Settings(db_url=db_url, lang="en"))
    yield bench
    bench.close()


def test_a_script_using_only_the_workbench(wb: Workbench, tmp_path: Path) -> None:
    results = []
    done = wb.init()
    results.append(done)
    assert done.counts["inserted"] > 0 and done.counts["per_table"]["adoptions"] == 121
    again = wb.init()  # idempotent
    results.append(again)
    assert again.counts["inserted"] == 0 and again.counts["updated"] == 0

    path = tmp_path / "saitaku_sjis.csv"
    path.write_bytes(CP932_ROWS.encode("cp932"))
    imported = wb.import_file(path)
    results.append(imported)
    assert (imported.encoding, imported.table, imported.inserted) == ("cp932", "adoptions", 2)
    assert imported.derived is not None and imported.derived["hubs"] > 0
    assert render(imported.message, "en").startswith(f"imported: {path} [adoptions, cp932] 2 rows")

    listed = wb.list_adoptions(prefecture="宮城", fy_from="H28", fy_to="R3")
    results.append(listed)
    mine = [r for r in listed.rows if r["region_name"] == "【仙台ワークベンチ地域】"]
    assert len(mine) == 2 and {r["start_fy"] for r in mine} == {2016, 2021}
    assert mine[0]["hub"] == mine[1]["hub"] is not None  # same area, successor: one hub, made by the import
    assert listed.title == Message("registry.adoptions_title", {"n": listed.n}, "info")

    out = tmp_path / "export_bom.csv"
    exported = wb.export_table("adoptions", "csv", out, encoding="utf-8-sig")
    results.append(exported)
    assert exported.counts["rows"] == 123 and exported.paths == [out] and not exported.warnings
    round_trip = wb.import_file(out)
    results.append(round_trip)
    assert (round_trip.inserted, round_trip.updated, round_trip.unchanged) == (0, 0, 123)
    # CP932 has no exact 〜 (WAVE DASH): the export says so instead of changing rows silently
    sjis = tmp_path / "export_sjis.csv"
    lossy = wb.export_table("adoptions", "csv", sjis, encoding="cp932")
    results.append(lossy)
    assert "【仙台ワークベンチ地域】" in sjis.read_bytes().decode("cp932")
    assert [w.code for w in lossy.warnings] == ["registry.export_lossy"] and "〜" in lossy.warnings[0].params["chars"]

    text = wb.export_table("programs", "json")
    results.append(text)
    assert len(json.loads(text.data["text"])) == 22
    binary = io.BytesIO()
    results.append(wb.export_table("hubs", "csv", binary, encoding="utf-8-sig"))
    assert binary.getvalue().startswith(b"\xef\xbb\xbfhub_key,")
    xlsx = tmp_path / "links.xlsx"
    results.append(wb.export_table("links", "xlsx", xlsx))
    assert wb.import_file(xlsx, "links").unchanged == wb.info().counts["links"]

    summary = wb.summary()
    histories = wb.hub_histories("仙台ワークベンチ")
    results += [summary, histories, wb.timeline(), wb.organization_duplicates(), wb.info()]
    results += [wb.rebuild_lineage(window=5), wb.migrate()]
    assert summary.n_adoptions == 123
    steps = histories.hubs[0].steps
    assert [s.adoption.start_fy for s in steps] == [2016, 2021] and steps[1].link_in.basis == "rule"
    for r in results:
        _json(r)
        _no_orm(r)


def test_a_bad_file_is_one_error_with_a_message_per_row(wb: Workbench, tmp_path: Path) -> None:
    wb.init()
    before = wb.export_table("adoptions", "csv").data["text"]
    path = tmp_path / "bad_sjis.csv"
    path.write_bytes(
        (CP932_ROWS + "地域イノベーション・エコシステム形成プログラム,宮城県,悪い行,課題,来年,R7,,X,\n").encode("cp932")
    )
    with pytest.raises(WorkbenchError) as exc:
        wb.import_file(path)
    err = exc.value
    assert err.exit_code == 1 and err.message.code == "registry.import_failed" and err.message.params["n"] == 2
    params = [d.params for d in err.details]
    assert [(p["row"], p["column"], p["value"]) for p in params] == [(4, "事業開始年度", "来年"), (4, "事後評価", "X")]
    assert all(p["file"] == str(path) for p in params)
    assert [p["reason"]["code"] for p in params] == ["ingest.not_fiscal_year", "ingest.unknown_grade"]
    json.dumps(err.to_dict(), allow_nan=False)
    assert render(err.details[1], "ja").endswith("評語が不明です（S, A, B, C, D, - のいずれか）（値: X）")
    assert wb.export_table("adoptions", "csv").data["text"] == before  # the database is unchanged


def test_derived_data_is_refreshed_inside_the_import(wb: Workbench, tmp_path: Path) -> None:
    wb.init()
    path = tmp_path / "one.csv"
    path.write_text("program_id,prefectures,region_name,start_fy,end_fy\nECO,宮城県,派生テスト,2020,2024\n", "utf-8")
    skipped = wb.import_file(path, derive=False)
    assert skipped.derived is None
    assert [r["hub"] for r in wb.list_adoptions(program="ECO").rows if r["region_name"] == "派生テスト"] == [None]
    path.write_text("program_id,prefectures,region_name,start_fy,end_fy\nECO,宮城県,派生テスト,2020,2025\n", "utf-8")
    refreshed = wb.import_file(path)
    assert refreshed.updated == 1 and refreshed.derived is not None
    assert [r["hub"] for r in wb.list_adoptions(program="ECO").rows if r["region_name"] == "派生テスト"] != [None]
    dry = wb.import_file(path, dry_run=True)
    assert dry.dry_run and dry.derived is None and render(dry.message, "en").startswith("dry run")


def test_a_binary_stream_imports_under_its_display_name(wb: Workbench) -> None:
    wb.init()
    stream = io.BytesIO("program_id,region_name,start_fy\nECO,ストリーム地域,H30\n".encode("cp932"))
    r = wb.import_file(stream, display_name="<stdin>")
    assert (r.file, r.encoding, r.inserted) == ("<stdin>", "cp932", 1)
    bad = io.BytesIO(b"program_id,region_name,start_fy\nECO,x,soon\n")
    with pytest.raises(WorkbenchError) as exc:
        wb.import_file(bad, display_name="<stdin>")
    assert exc.value.details[0].params["file"] == "<stdin>"


def test_filters_and_names_that_cannot_be_read(wb: Workbench) -> None:
    wb.init()
    for kwargs in ({"fy_from": "来年"}, {"fy_to": "H0"}, {"grade": "Z"}, {"interim_grade": "?"}):
        with pytest.raises(WorkbenchError) as exc:
            wb.list_adoptions(**kwargs)
        assert exc.value.exit_code == 2 and exc.value.message.code == "registry.bad_filter"
        json.dumps(exc.value.to_dict(), allow_nan=False)
    with pytest.raises(WorkbenchError) as exc:
        wb.hub_histories("どこにもない拠点")
    assert exc.value.message == Message("registry.no_hub", {"name": "どこにもない拠点"}, "error")
    for call in (
        lambda: wb.export_table("nope"),
        lambda: wb.export_table("adoptions", "pdf"),
        lambda: wb.export_table("adoptions", "xlsx"),
        lambda: wb.export_table("adoptions", "csv", encoding="klingon"),
        lambda: wb.import_file("x.csv", "nope"),
        lambda: wb.rebuild_lineage(window=0),
    ):
        with pytest.raises(WorkbenchError) as exc:
            call()
        assert exc.value.exit_code == 2


def test_an_export_the_encoding_cannot_write_leaves_no_file(wb: Workbench, tmp_path: Path) -> None:
    wb.init()
    path = tmp_path / "emoji.csv"
    path.write_text("program_id,region_name,start_fy\nECO,絵文字🌸地域,2020\n", encoding="utf-8")
    wb.import_file(path)
    out = tmp_path / "out_sjis.csv"
    with pytest.raises(WorkbenchError) as exc:
        wb.export_table("adoptions", "csv", out, encoding="cp932")
    assert exc.value.message.code == "registry.unencodable" and exc.value.message.params["char"] == "🌸"
    assert not out.exists() and not list(tmp_path.glob(".out_sjis.csv.tmp*"))


def test_every_rule_link_reads_in_the_readers_language(wb: Workbench) -> None:
    """The rule sentences registry.lineage stores are rebuilt as messages, so `region show` is in
    one language; a sentence this code cannot read would show as stored (English) — caught here."""
    from chiiki.model.registry import LineageLink
    from chiiki.registry.queries import explain_rule

    wb.init()
    with wb.session() as s:
        rules = [x.rule for x in s.query(LineageLink).filter(LineageLink.basis == "rule")]
    assert len(rules) == 11
    for rule in rules:
        m = explain_rule(rule, "rule")
        assert m.code == "registry.rule_link", rule
        # the English rendering is the stored sentence (its "year(s)" counted, "and" between reasons)
        en = render(m, "en").replace(" and ", ", ")
        assert re.sub(r"(\d+) years? after", r"\1 year(s) after", en) == rule
        ja = render(m, "ja")
        assert ja.startswith("規則: 都道府県が同じ") and not re.search(r"[A-Za-z]{4,}", ja), ja


def test_labels_of_every_stored_value_and_family() -> None:
    from chiiki.model.enums import EventKind, LinkBasis
    from chiiki.registry.families import FAMILIES, family_label
    from chiiki.registry.queries import basis_label, event_label

    for basis in LinkBasis:
        assert basis_label(basis.value).code == f"registry.basis.{basis.value}"
    for kind in EventKind:
        assert event_label(kind.value).code == f"registry.event.{kind.value}"
    assert family_label("KC", "ja") == "知的クラスター創成事業"
    assert family_label("KC", "en") == "Knowledge Cluster Initiative"
    ja = translator("ja")
    untranslated = [label for label, _ in FAMILIES.values() if ja.gettext(label) == label]
    assert untranslated == ["DESIGN-i"]  # the program's own name in Japanese, too


def test_every_registry_message_has_japanese() -> None:
    from chiiki.ingest.messages import MESSAGES as INGEST
    from chiiki.registry.messages import MESSAGES as REGISTRY

    ja = translator("ja")
    same_in_both = {"{text}", "{first}/{rest}", "{first}, {rest}"}
    for code, template in {**REGISTRY, **INGEST}.items():
        singular = template[0] if isinstance(template, tuple) else template
        text = ja.ngettext(template[0], template[1], 2) if isinstance(template, tuple) else ja.gettext(template)
        assert text != singular or singular in same_in_both, code
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", singular)), code


# -- English output: no Japanese but the data's own ---------------------------------------------
def _data_values(wb: Workbench, extra: list[str]) -> list[str]:
    """Every text value in the database (and what the registry derives from them: list items,
    names without remarks in brackets, area words, prefectures without 県) — the 'data values'."""
    from chiiki.ingest.normalize import split_list, strip_parenthetical
    from chiiki.registry.export import EXPORT_TABLES
    from chiiki.registry.lineage import area_words

    values: set[str] = set(extra)
    for table in EXPORT_TABLES:
        for row in json.loads(wb.export_table(table, "json").data["text"]):
            values.update(v for v in row.values() if isinstance(v, str))
    for v in list(values):
        for part in [v, *split_list(v)]:
            values.update({part, strip_parenthetical(part), re.sub(r"(?<=..)[都府県]$", "", part)})
            values.update(area_words(part))
    return sorted((v for v in values if v), key=len, reverse=True)


def _japanese_labels() -> set[str]:
    """The Japanese of the registry's msgids: none may show in English output."""
    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "src/chiiki/locale/ja/LC_MESSAGES/chiiki.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="ja")
    ours = ("registry/", "ingest/", "cli/registry_cmds.py", "workbench/registry_api.py", "messages.py")
    out: set[str] = set()
    for m in catalog:
        if not any(loc[0].startswith(ours) for loc in m.locations):
            continue
        for s in m.string if isinstance(m.string, tuple) else (m.string,):
            out.update(JAPANESE_RUN.findall(s or ""))
    return out


def test_english_output_of_every_registry_command_has_no_japanese_but_data(wb: Workbench, tmp_path: Path) -> None:
    wb.init()
    url = wb.settings.db_url
    bad = tmp_path / "bad_sjis.csv"
    bad.write_bytes("事業名,エリア名,事業開始年度\nECOではない,甲,来年\n".encode("cp932"))
    good = tmp_path / "good_sjis.csv"
    good.write_bytes(CP932_ROWS.encode("cp932"))
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("from_adoption_id,to_adoption_id,basis\nCA-2007-hirosaki,RICP-2010-hirosaki,stated\n", "utf-8")
    commands = [
        ["db", "init"],
        ["db", "migrate"],
        ["info"],
        ["import", str(good)],
        ["import", str(bad)],
        ["import", "--dry-run", str(good)],
        ["export", "adoptions", "-o", str(tmp_path / "a.csv")],
        ["summary"],
        ["adoptions", "list"],
        ["adoptions", "list", "--grade", "X"],
        ["region", "show", "弘前"],
        ["region", "show", "福岡"],
        ["region", "show", "札幌"],
        ["region", "show", "仙台ワークベンチ"],
        ["region", "show", "どこにもない"],
        ["timeline"],
        ["organizations", "duplicates"],
        ["lineage", "rebuild", "--overrides", str(overrides)],
    ]
    outputs = []
    for args in commands:
        r = invoke(["--lang", "en", "--db", url, *args], env={"COLUMNS": "250"})
        outputs.append((args, r.stdout + r.stderr))
    data = _data_values(wb, ["事業名", "エリア名", "事業開始年度", "ECOではない", "甲", "来年", "どこにもない"])
    corpus, values = "\n".join(data), set(data)
    labels = {r for r in _japanese_labels() - values if LETTER.search(r)}  # not bare punctuation
    for args, text in outputs:
        for run in JAPANESE_RUN.findall(text):
            # every Japanese run is (a piece of, when a terminal table cut it) a data value, and
            # never one of the registry's Japanese labels
            assert run in corpus, (args, run, text)
            assert run in values or run not in labels, (args, run, text)


DRIFTED_TERMS = (
    "観測打ち切り",
    "補正p値",
    "補正後p",
    "獲得",
    "検定不能",
    "判断保留",
    "聞き取り",
    "終了評価",
    "事後（終了）",
)


def test_japanese_output_uses_the_agreed_terms(wb: Workbench) -> None:
    """One term per concept (事後評価, 後継事業の採択, ヒアリング …): none of the drifted ones in the
    registry's catalogue entries, nor in what the commands print (the data's own words aside)."""
    assert not [t for t in DRIFTED_TERMS for label in _japanese_labels() if t in label]
    wb.init()
    data = _data_values(wb, [])
    for args in (["summary"], ["region", "show", "弘前"], ["adoptions", "list"], ["timeline"], ["info"]):
        r = invoke(["--db", wb.settings.db_url, *args], env={"COLUMNS": "250"})
        rest = r.stdout + r.stderr
        for value in data:
            rest = rest.replace(value, " ")
        assert not [t for t in DRIFTED_TERMS if t in rest], (args, rest)
    assert "事後評価" in invoke(["--db", wb.settings.db_url, "summary"], env={}).stdout


def test_one_adoption_and_one_hub_by_their_ids(wb: Workbench) -> None:
    """What an adoption page and a hub page show, read by key (the web app's routes)."""
    wb.init()
    detail = wb.adoption("ECO-2016-hamamatsu")
    d = _json(detail)
    _no_orm(detail)
    assert d["items"]["adoption_id"] == "ECO-2016-hamamatsu" and d["items"]["interim_grade"] == "A"
    assert d["program_name"].startswith("地域イノベーション・エコシステム") and d["sources"]
    assert all(u.startswith("http") for u in d["sources"])
    hub = wb.hub(d["hub"]["id"])
    ids = [s["adoption"]["id"] for s in _json(hub)["steps"]]
    assert "ECO-2016-hamamatsu" in ids and ids[0] == "KC2-2007-hamamatsu"  # in time order
    assert set(d["predecessors"]) <= set(ids)
    with pytest.raises(WorkbenchError) as missing:
        wb.adoption("no-such-adoption")
    assert missing.value.message.code == "registry.no_adoption"
    with pytest.raises(WorkbenchError):
        wb.hub(10**9)


def test_a_filtered_table_as_a_download_is_formula_safe(wb: Workbench, tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    wb.init()
    f = tmp_path / "a.csv"
    header = "事業ID,エリア名,課題名,事業開始年度,都道府県名\n"
    f.write_text(header + 'ECO,=HYPERLINK("x"),題,2016,宮城県\n', encoding="utf-8")
    wb.import_file(f)
    table = wb.list_adoptions(program="ECO")
    raw = wb.table_bytes(table, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == table.n and '\'=HYPERLINK("x")' in {r["region_name"] for r in rows}
    sheet = load_workbook(io.BytesIO(wb.table_bytes(table, "xlsx"))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)
    assert len(json.loads(wb.table_bytes(table, "json"))) == table.n
    with pytest.raises(WorkbenchError):
        wb.table_bytes(table, "ods")
