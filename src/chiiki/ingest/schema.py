"""Import/export column specifications: English names, Japanese aliases and parsers.

One spec per table keeps import and export symmetric, which is what makes
``chiiki export adoptions | chiiki import -`` a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chiiki.ingest import values as v
from chiiki.ingest.normalize import nfkc


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[object], object] = v.text
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    signature: tuple[str, ...] = field(default=())  # headers that identify this table

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _header_key(header: str) -> str:
    """Compare headers after NFKC, without spaces, brackets and case ('事業 開始年度' = '事業開始年度')."""
    h = nfkc(header).lower().replace(" ", "").replace("_", "")
    return "".join(ch for ch in h if ch not in "()[]【】「」・/")


PROGRAMS = TableSpec(
    "programs",
    (
        Column("program_id", aliases=("事業ID", "事業コード"), required=True),
        Column("name_ja", aliases=("事業名", "名称"), required=True),
        Column("name_en", aliases=("英語名", "事業名英語")),
        Column("agency", aliases=("実施機関", "府省", "所管")),
        Column("type", aliases=("類型", "タイプ")),
        Column("first_fy", v.fiscal_year, aliases=("初年度", "開始年度")),
        Column("last_fy", v.fiscal_year, aliases=("最終採択年度", "終了年度")),
        Column("duration_years", aliases=("期間", "事業期間")),
        Column("budget_note", aliases=("予算", "予算規模")),
        Column("evaluation_scale", aliases=("評価尺度", "評価")),
        Column("predecessor_program_id", aliases=("前身事業", "前身事業ID")),
        Column("family", aliases=("事業系列",)),
        Column("source_urls", aliases=("出典", "出典URL", "URL")),
    ),
    signature=("program_id", "name_ja"),
)

ADOPTIONS = TableSpec(
    "adoptions",
    (
        Column("adoption_id", aliases=("採択ID", "ID")),
        Column("program_id", aliases=("事業ID",)),
        Column("program_name", aliases=("事業名",)),
        Column("phase", aliases=("区分", "フェーズ", "採択区分", "期")),
        Column("region_name", aliases=("エリア名", "地域名", "採択地域")),
        Column("prefectures", v.prefectures, aliases=("都道府県名", "都道府県", "提案自治体")),
        Column("municipalities", aliases=("市町村", "市区町村", "市町村名")),
        Column("title", aliases=("課題名", "構想名", "クラスター名")),
        Column("core_institution", aliases=("中核機関", "総合調整機関", "提案機関")),
        Column("start_fy", v.fiscal_year, aliases=("事業開始年度", "開始年度")),
        Column("end_fy", v.fiscal_year, aliases=("事業終了年度", "終了年度")),
        Column("duration_years", v.non_negative_int, aliases=("期間", "期間年度", "事業期間")),
        Column(
            "budget_total_million_yen",
            v.million_yen,
            aliases=("事業予算の総額", "予算総額", "総額百万円", "事業予算総額"),
        ),
        Column("budget_note", aliases=("予算備考",)),
        Column("interim_grade", v.grade, aliases=("中間評価", "中間評価結果")),
        Column("final_grade", v.grade, aliases=("事後評価", "終了評価", "事後評価結果", "終了評価結果")),
        Column("grade_scale", aliases=("評価尺度",)),
        Column("universities", aliases=("大学等研究機関", "大学等研究機関の名称", "大学")),
        Column("n_institutions", v.non_negative_int, aliases=("参画機関数", "参画機関の総数")),
        Column("n_companies", v.non_negative_int, aliases=("参画企業数", "参画企業の総数")),
        Column("pd_name", aliases=("事業PD", "PD", "事業総括", "事業PDの氏名")),
        Column("notes", aliases=("備考", "注記")),
        Column("source_urls", aliases=("出典", "出典URL", "URL")),
    ),
    signature=("region_name", "start_fy"),
)

ORGANIZATIONS = TableSpec(
    "organizations",
    (
        Column("key", aliases=("キー",)),
        Column("name", aliases=("機関名", "名称"), required=True),
        Column("kind", aliases=("種別", "機関種別")),
        Column("prefecture", v.prefecture, aliases=("都道府県",)),
    ),
    signature=("name", "kind"),
)

PARTICIPATIONS = TableSpec(
    "participations",
    (
        Column("adoption_id", aliases=("採択ID",), required=True),
        Column("organization", aliases=("機関名",), required=True),
        Column("kind", aliases=("種別", "機関種別")),
        Column("role", aliases=("役割",), required=True),
        Column("note", aliases=("備考",)),
    ),
    signature=("adoption_id", "organization", "role"),
)

LINKS = TableSpec(
    "links",
    (
        Column("from_adoption_id", aliases=("前の採択ID", "先行採択ID"), required=True),
        Column("to_adoption_id", aliases=("後継採択ID",), required=True),
        Column("basis", aliases=("根拠",)),
        Column("rule", aliases=("規則", "説明")),
        Column("source_urls", aliases=("出典",)),
    ),
    signature=("from_adoption_id", "to_adoption_id"),
)

EVENTS = TableSpec(
    "events",
    (
        Column("adoption_id", aliases=("採択ID",), required=True),
        Column("kind", aliases=("種別",), required=True),
        Column("fy", v.fiscal_year, aliases=("年度",)),
        Column("description", aliases=("内容",), required=True),
        Column("related_adoption_id", aliases=("関連採択ID",)),
        Column("source_urls", aliases=("出典",)),
    ),
    signature=("adoption_id", "kind", "description"),
)

IMPORT_SPECS: dict[str, TableSpec] = {
    s.name: s for s in (PROGRAMS, ADOPTIONS, ORGANIZATIONS, PARTICIPATIONS, LINKS, EVENTS)
}


def map_headers(spec: TableSpec, headers: list[str]) -> dict[str, str]:
    """File header → column name; unknown headers are ignored (reported by the caller)."""
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for name in (col.name, *col.aliases):
            lookup.setdefault(_header_key(name), col.name)
    mapping: dict[str, str] = {}
    for header in headers:
        target = lookup.get(_header_key(header))
        if target and target not in mapping.values():
            mapping[header] = target
    return mapping


def guess_spec(headers: list[str]) -> TableSpec:
    """Pick the table whose columns the headers match best (ties → adoptions, the common case)."""
    best, best_score = ADOPTIONS, -1
    for spec in (ADOPTIONS, PROGRAMS, ORGANIZATIONS, PARTICIPATIONS, LINKS, EVENTS):
        mapping = map_headers(spec, headers)
        score = len(mapping) + (3 if all(s in mapping.values() for s in spec.signature) else 0)
        if score > best_score:
            best, best_score = spec, score
    return best


def looks_like_header(cells: list[str], spec: TableSpec | None = None, min_hits: int = 2) -> bool:
    """True for a row that names at least ``min_hits`` known columns (of ``spec``, or of any
    table): the ``is_header`` test for :func:`chiiki.ingest.readers.open_table`, which skips the
    title, note and blank rows government lists put above their header."""
    specs = (spec,) if spec is not None else tuple(IMPORT_SPECS.values())
    present = [c for c in cells if c]
    if not present:
        return False
    return any(len(map_headers(s, present)) >= min(min_hits, len(s.columns)) for s in specs)
