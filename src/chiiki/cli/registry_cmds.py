"""Registry commands: db, info, import, export, summary, adoptions, region, timeline, lineage."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from chiiki.cli.common import console, err_console, fail, open_session
from chiiki.cli.i18n import t

db_app = typer.Typer(help=t("データベースの作成・移行", "create or migrate the database"), no_args_is_help=True)
adoptions_app = typer.Typer(help=t("採択の一覧と検索", "list and filter adoptions"), no_args_is_help=True)
region_app = typer.Typer(help=t("拠点（地域）の履歴", "hub (region) histories"), no_args_is_help=True)
orgs_app = typer.Typer(help=t("機関（名寄せ）", "organizations (name matching)"), no_args_is_help=True)
lineage_app = typer.Typer(help=t("拠点のまとめと後継関係", "hub grouping and successor links"), no_args_is_help=True)


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFmt(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@db_app.command(
    "init",
    help=t(
        "スキーマを作成し同梱の出典付きデータを読み込む（何度実行しても同じ）",
        "create the schema and load the bundled, source-cited registry (idempotent)",
    ),
)
def db_init(
    empty: bool = typer.Option(
        False,
        "--empty",
        help=t("スキーマのみ作成（同梱データを読み込まない）", "create the schema only (no bundled data)"),
    ),
) -> None:
    """Create the schema and load the bundled, source-cited registry (idempotent)."""
    from chiiki.model.db import describe_url

    with open_session() as session:
        if not empty:
            from chiiki.registry.bundled import load_bundled

            reports = load_bundled(session)
            _load_other_bundled(session)
            added = sum(r.inserted for r in reports)
            console.print(
                t(
                    f"同梱データを読み込みました（新規 {added} 行）: {describe_url()}",
                    f"bundled data loaded ({added} new rows): {describe_url()}",
                )
            )
        else:
            console.print(t(f"空のスキーマを作成しました: {describe_url()}", f"empty schema ready: {describe_url()}"))


def _load_other_bundled(session) -> None:  # type: ignore[no-untyped-def]
    """Bundled records of other domains (hearings of the report's Table 1)."""
    from chiiki.hearings.bundled import load_bundled_hearings

    load_bundled_hearings(session)


@db_app.command(
    "migrate",
    help=t(
        "サーバーのデータベースを最新のスキーマに移行（SQLite は自動）",
        "upgrade a server database to this schema (SQLite upgrades itself)",
    ),
)
def db_migrate() -> None:
    """Upgrade a server database to this version's schema (SQLite files upgrade themselves)."""
    from chiiki.model.db import get_engine
    from chiiki.model.migrate import current_revision, has_schema, head_revision, upgrade

    engine = get_engine()
    if not has_schema(engine):
        fail(
            t(
                "スキーマがありません。先に `chiiki db init` を実行してください",
                "no schema yet: run `chiiki db init` first",
            )
        )
    before = current_revision(engine)
    upgrade(engine)
    console.print(f"schema: {before} → {head_revision(engine)}")


@db_app.command("drop", help=t("chiiki の全テーブルを削除", "drop every chiiki table"))
def db_drop(yes: bool = typer.Option(False, "--yes", help=t("確認なしで削除", "do not ask"))) -> None:
    """Drop every chiiki table (for tests and re-initialisation)."""
    from chiiki.model.db import describe_url, get_engine
    from chiiki.model.migrate import drop_schema

    if not yes:
        typer.confirm(
            t(f"{describe_url()} の全テーブルを削除しますか?", f"drop all tables of {describe_url()}?"), abort=True
        )
    drop_schema(get_engine())


def info() -> None:
    """Version, database location and schema state, row counts."""
    from sqlalchemy import func, select

    from chiiki import __version__
    from chiiki.model.db import database_url, describe_url, get_engine
    from chiiki.model.migrate import current_revision, has_schema, head_revision
    from chiiki.model.registry import Adoption, Hub, Program

    engine = get_engine()
    console.print(f"chiiki {__version__}")
    console.print(t("データベース: ", "database: ") + describe_url())
    url = database_url()
    if url.startswith("sqlite:///"):
        console.print(t("SQLite ファイル: ", "SQLite file: ") + str(Path(url[len("sqlite:///") :]).resolve()))
    if not has_schema(engine):
        console.print(t("スキーマ: なし（`chiiki db init`）", "schema: none (run `chiiki db init`)"))
        return
    console.print(f"schema: {current_revision(engine)} (head {head_revision(engine)})")
    with engine.connect() as conn:
        for label, model in (("programs", Program), ("adoptions", Adoption), ("hubs", Hub)):
            n = conn.execute(select(func.count()).select_from(model)).scalar_one()
            console.print(f"{label}: {n}")


def import_cmd(
    file: Path = typer.Argument(
        ...,
        help=t(
            "CSV（UTF-8/BOM/CP932）または XLSX ファイル。- で標準入力",
            "CSV (UTF-8/BOM/CP932) or XLSX file; - for standard input",
        ),
    ),
    table: str | None = typer.Option(
        None,
        "--table",
        help=t(
            "表: adoptions|programs|organizations|participations|links|events（既定: 見出しから推定）",
            "table (default: guessed from the headers)",
        ),
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help=t("検証のみ（書き込まない）", "validate only")),
    sheet: str | None = typer.Option(None, "--sheet", help=t("XLSX のシート名", "XLSX sheet name")),
    no_derive: bool = typer.Option(
        False,
        "--no-derive",
        help=t("取込後の参画機関・拠点の再計算を省く", "skip rebuilding participations and hubs after import"),
    ),
) -> None:
    """Import a file in one transaction: any bad row → nothing is written, errors listed, exit 1."""
    import tempfile

    from rich.progress import Progress

    from chiiki.ingest.readers import ReadError
    from chiiki.ingest.schema import IMPORT_SPECS
    from chiiki.registry.imports import ImportFailed, import_file

    if table and table not in IMPORT_SPECS:
        fail(f"unknown table {table!r} (choose from {', '.join(IMPORT_SPECS)})", 2)
    tmp = None
    if str(file) == "-":
        tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
        tmp.write(sys.stdin.buffer.read())
        tmp.close()
        file = Path(tmp.name)
    try:
        with open_session() as session, Progress(console=err_console, transient=True) as progress:
            task = progress.add_task(t("取込中", "importing"), total=None)
            report = import_file(
                session,
                file,
                table,
                display_name="<stdin>" if tmp else None,
                dry_run=dry_run,
                sheet=sheet,
                progress=lambda n: progress.update(task, completed=n),
            )
            derived = None
            if report.table in ("adoptions", "links") and not dry_run and not no_derive:
                from chiiki.registry.bundled import refresh_derived

                derived = refresh_derived(session)
    except ReadError as exc:
        fail(str(exc))
    except ImportFailed as exc:
        for e in exc.errors:
            err_console.print(str(e), highlight=False, markup=False)
        if exc.total > len(exc.errors):
            err_console.print(f"… {exc.total - len(exc.errors)} more")
        fail(
            t(
                f"{exc.file}: {exc.total} 件のエラー。何も取り込んでいません（データベースは変更なし）",
                f"{exc.file}: {exc.total} error(s); nothing was imported (database unchanged)",
            )
        )
    finally:
        if tmp:
            Path(tmp.name).unlink(missing_ok=True)
    verb = t("検証のみ（書き込みなし）", "dry run (nothing written)") if report.dry_run else t("取込完了", "imported")
    console.print(
        f"{verb}: {report.file} [{report.table}, {report.encoding or 'xlsx'}] "
        + t(
            f"{report.rows} 行 — 追加 {report.inserted}, 更新 {report.updated}, 変更なし {report.unchanged}",
            f"{report.rows} rows — inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}",
        ),
        highlight=False,
        markup=False,
    )
    if report.ignored_headers:
        console.print(t("無視した列: ", "ignored columns: ") + ", ".join(report.ignored_headers))
    if report.new_programs:
        console.print(t("新しい事業: ", "new programs: ") + ", ".join(report.new_programs))
    if derived:
        console.print(
            t(
                f"拠点 {derived.lineage.hubs}（複数採択 {derived.lineage.multi_adoption_hubs}）",
                f"hubs {derived.lineage.hubs} ({derived.lineage.multi_adoption_hubs} with several adoptions)",
            )
        )


def export_cmd(
    table: str = typer.Argument(
        ..., help="programs|adoptions|organizations|participations|hubs|links|events|sources|citations"
    ),
    fmt: ExportFmt = typer.Option(ExportFmt.csv, "--format", "-f"),
    out: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help=t("出力ファイル（CSV/JSON は省略時 標準出力）", "output file (CSV/JSON: stdout when omitted)"),
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help="utf-8 | utf-8-sig (Excel) | cp932"),
) -> None:
    """Export a table with the English column names that `chiiki import` reads back."""
    from chiiki.registry.export import EXPORT_TABLES, export_rows, write_csv, write_json, write_xlsx

    if table not in EXPORT_TABLES:
        fail(f"unknown table {table!r} (choose from {', '.join(EXPORT_TABLES)})", 2)
    if fmt is ExportFmt.xlsx and out is None:
        fail(t("XLSX は -o FILE が必要です", "XLSX needs -o FILE"), 2)
    with open_session() as session:
        cols, rows = export_rows(session, table)
        if fmt is ExportFmt.xlsx:
            n = write_xlsx(cols, rows, out, table)  # type: ignore[arg-type]
        else:
            writer = write_csv if fmt is ExportFmt.csv else write_json
            if out is None:
                sys.stdout.reconfigure(encoding=encoding)  # type: ignore[attr-defined]
                n = writer(cols, rows, sys.stdout)
            else:
                with out.open("w", encoding=encoding, newline="") as fh:
                    n = writer(cols, rows, fh)
    if out is not None:
        err_console.print(f"{n} rows → {out}")


def summary_cmd() -> None:
    """Registry summary: adoptions per program and per prefecture, grade coverage."""
    from rich.table import Table

    from chiiki.registry.queries import summary

    with open_session() as session:
        s = summary(session)
    console.print(
        t(
            f"[bold]採択 {s.n_adoptions} 件[/]（事業 {s.n_programs}、拠点 {s.n_hubs}、"
            f"うち複数採択の拠点 {s.n_multi_hubs}、出典 {s.n_sources} URL）",
            f"[bold]{s.n_adoptions} adoptions[/] ({s.n_programs} programs, {s.n_hubs} hubs, "
            f"{s.n_multi_hubs} with several adoptions, {s.n_sources} source URLs)",
        )
    )
    if s.n_adoptions == 0:
        console.print(
            t(
                "データがありません。`chiiki db init` で同梱データを読み込めます。",
                "no data: `chiiki db init` loads the bundled registry.",
            )
        )
        return
    tab = Table(
        title=t(
            "事業別（件数: 採択 / 開始年度・終了年度・中間評価・事後評価の記録あり）",
            "per program (adoptions / with start FY, end FY, interim, final grade)",
        )
    )
    for col in (
        t("事業", "program"),
        t("採択", "n"),
        t("開始", "start"),
        t("終了", "end"),
        t("中間", "interim"),
        t("事後", "final"),
    ):
        first = col in ("事業", "program")
        tab.add_column(col, justify="left" if first else "right", no_wrap=True, min_width=11 if first else 4)
    tab.add_column(t("名称", "name"), overflow="ellipsis", no_wrap=True, max_width=34)
    for r in s.per_program:
        tab.add_row(
            r["program_id"],
            str(r["adoptions"]),
            str(r["with_start_fy"]),
            str(r["with_end_fy"]),
            str(r["with_interim_grade"]),
            str(r["with_final_grade"]) + (f"+{r['final_dash']}'-'" if r["final_dash"] else ""),
            r["name"],
        )
    console.print(tab)
    sep = "、" if t("ja", "en") == "ja" else ", "
    per_pref = sep.join(f"{name} {n}" for name, n in s.per_prefecture)
    console.print(
        t(
            "[bold]都道府県別[/]（都道府県をまたぐ採択は各都道府県に数えます）: ",
            "[bold]per prefecture[/] (an adoption spanning prefectures counts in each): ",
        )
        + per_pref,
        highlight=False,
    )
    g = s.grade_coverage
    console.print(
        t(
            f"評価の記録: 中間評価 {g['interim']} 件、事後（終了）評価 {g['final']} 件"
            f"（ほかに '-' 表示 {g['final_dash']} 件）"
            f" / 採択 {s.n_adoptions} 件。空欄は「見つからなかった」の意味で、「なし」ではありません。",
            f"grades recorded: interim {g['interim']}, final {g['final']} (+{g['final_dash']} shown as '-') "
            f"of {s.n_adoptions} adoptions. Empty means 'not found', never 'none'.",
        )
    )
    basis_ja = {"stated": "資料に明記", "rule": "規則", "manual": "手動", "reject": "却下"}
    links = ", ".join(f"{t(basis_ja.get(k, k), k)} {v}" for k, v in sorted(s.n_links.items()))
    console.print(t("後継リンク: ", "successor links: ") + (links or "0"), highlight=False)


def _emit(rows: list[dict], cols: list[str], fmt: Fmt, title: str) -> None:
    from chiiki.registry.export import write_csv, write_json

    if fmt is Fmt.csv:
        write_csv(cols, iter(rows), sys.stdout)
    elif fmt is Fmt.json:
        write_json(cols, iter(rows), sys.stdout)
    else:
        from rich.table import Table

        tab = Table(title=title)
        for c in cols:
            tab.add_column(c)
        for r in rows:
            tab.add_row(*["" if r[c] is None else str(r[c]) for c in cols])
        console.print(tab)


@adoptions_app.command(
    "list", help=t("条件に合う採択を表・CSV・JSON で表示", "adoptions matching the filters, as a table, CSV or JSON")
)
def adoptions_list(
    program: str | None = typer.Option(None, "--program", help=t("事業ID（前方一致）", "program id (prefix)")),
    prefecture: str | None = typer.Option(None, "--prefecture", help=t("都道府県", "prefecture")),
    fy_from: str | None = typer.Option(None, "--from", help=t("開始年度の下限（2002, H14 など）", "start FY from")),
    fy_to: str | None = typer.Option(None, "--to", help=t("開始年度の上限", "start FY to")),
    grade: str | None = typer.Option(None, "--grade", help=t("事後（終了）評価 S/A/B/C", "final grade S/A/B/C")),
    interim_grade: str | None = typer.Option(None, "--interim-grade", help=t("中間評価 S/A/B/C", "interim grade")),
    has_successor: bool | None = typer.Option(
        None, "--has-successor/--no-successor", help=t("後継の有無", "with / without a successor")
    ),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f"),
) -> None:
    """Adoptions matching the filters, as a table, CSV or JSON."""
    from chiiki.ingest.eras import parse_fiscal_year
    from chiiki.ingest.values import grade as parse_grade
    from chiiki.registry.queries import ADOPTION_LIST_COLUMNS, list_adoptions

    try:
        lo, hi = parse_fiscal_year(fy_from), parse_fiscal_year(fy_to)
        grade, interim_grade = parse_grade(grade), parse_grade(interim_grade)
    except ValueError as exc:
        fail(str(exc), 2)
    with open_session() as session:
        rows = list_adoptions(session, program, prefecture, lo, hi, grade, has_successor, interim_grade=interim_grade)
    _emit(rows, list(ADOPTION_LIST_COLUMNS), fmt, t(f"採択 {len(rows)} 件", f"{len(rows)} adoptions"))


@region_app.command(
    "show", help=t("拠点の全履歴と、各段階を結んだ規則", "a hub's whole history with the rule that linked each step")
)
def region_show(
    name: str = typer.Argument(..., help=t("拠点名・エリア名・採択ID の一部", "hub, area or adoption id")),
) -> None:
    """A hub's whole history, with the rule that linked each step."""
    from rich.markup import escape

    from chiiki.registry.queries import find_hubs, hub_history

    with open_session() as session:
        hubs = find_hubs(session, name)
        if not hubs:
            fail(t(f"該当する拠点がありません: {name}", f"no hub matches {name!r}"))
        for hub in hubs:
            h = hub_history(session, hub)
            console.rule(f"[bold]{escape(hub.name)}[/]  ({escape(hub.key)}; {escape(hub.prefecture or '-')})")
            for step in h.steps:
                a = step.adoption
                years = f"FY{a.start_fy or '?'}–{a.end_fy or '?'}"
                grades = (
                    f" 中間 {a.interim_grade or '-'} / 事後 {a.final_grade or '-'}"
                    if (a.interim_grade or a.final_grade)
                    else ""
                )
                console.print(
                    f"• {years}  [bold]{escape(a.id)}[/]  {escape(step.program_name)}  "
                    f"{escape(a.region_name or '')}{grades}",
                    highlight=False,
                )
                if a.title:
                    console.print(f"    {a.title}", highlight=False, markup=False)
                if step.link_in is not None:
                    li = step.link_in
                    console.print(
                        f"    ← {li.from_adoption_id}  [{li.basis}] {li.rule}",
                        highlight=False,
                        markup=False,
                        style="cyan",
                    )
                for ev in step.events:
                    console.print(
                        f"    ⇒ {ev.kind} FY{ev.fy or '?'}: {ev.description}",
                        highlight=False,
                        markup=False,
                        style="green",
                    )
            if len(hubs) > 1:
                console.print()


def timeline_cmd() -> None:
    """The policy timeline: program families 2002 → now, selections per fiscal year."""
    from rich.table import Table

    from chiiki.cli.i18n import LANG
    from chiiki.registry.queries import timeline

    with open_session() as session:
        lines = timeline(session, LANG)
    tab = Table(
        title=t("地域科学技術振興施策の変遷（開始年度別の採択数）", "policy timeline (selections per start FY)"),
        show_lines=True,
    )
    tab.add_column(t("事業系列", "program family"), max_width=24)
    tab.add_column(t("期間", "years"), no_wrap=True)
    tab.add_column(t("採択", "n"), justify="right")
    tab.add_column(t("開始年度:件数", "start FY:count"))
    tab.add_column(t("前身", "follows"))
    for ln in lines:
        counts = " ".join(f"{fy}:{n}" for fy, n in sorted(ln.per_fy.items()))
        if ln.undated:
            counts += t(f" 年度不明:{ln.undated}", f" undated:{ln.undated}")
        total = sum(ln.per_fy.values()) + ln.undated
        span = f"{ln.first_fy or '?'}–{ln.last_fy or ''}"
        tab.add_row(ln.label, span, str(total), counts.strip() or "-", ", ".join(ln.follows))
    console.print(tab)


@orgs_app.command(
    "duplicates",
    help=t("同じ機関と思われる名称の組と理由", "organization names that probably mean the same body, with the reason"),
)
def orgs_duplicates() -> None:
    """Organization names that probably mean the same body, with the reason."""
    from chiiki.registry.organizations import likely_duplicates

    with open_session() as session:
        pairs = likely_duplicates(session)
    for p in pairs:
        console.print(f"{p.a}  ≈  {p.b}   ({p.reason})", highlight=False)
    console.print(t(f"候補 {len(pairs)} 組", f"{len(pairs)} candidate pairs"))


@lineage_app.command(
    "rebuild",
    help=t(
        "拠点と規則リンクを再計算（明記・手動・却下は保持）",
        "recompute hubs and rule links (stated/manual/reject kept)",
    ),
)
def lineage_rebuild(
    window: int = typer.Option(
        5,
        "--window",
        min=1,
        help=t("終了後 N 年度以内に開始した採択を後継とみなす", "a successor starts within N FY after the end"),
    ),
    overrides: Path | None = typer.Option(
        None,
        "--overrides",
        help=t(
            "手動の上書きファイル（links 形式: from_adoption_id,to_adoption_id,basis=stated|manual|reject）",
            "manual override file (links format; basis stated|manual|reject)",
        ),
    ),
) -> None:
    """Recompute hubs and rule links (stated/manual/reject links are kept)."""
    from chiiki.registry.bundled import refresh_derived
    from chiiki.registry.imports import ImportFailed, import_file

    with open_session() as session:
        if overrides:
            try:
                import_file(session, overrides, "links")
            except ImportFailed as exc:
                for e in exc.errors:
                    err_console.print(str(e), markup=False)
                fail(
                    t(
                        "上書きファイルにエラーがあります（何も変更していません）",
                        "errors in the override file (nothing changed)",
                    )
                )
        d = refresh_derived(session, window)
    console.print(
        t(
            f"規則リンク {d.lineage.rule_links}、固定リンク {d.lineage.fixed_links}、拠点 {d.lineage.hubs}",
            f"rule links {d.lineage.rule_links}, fixed links {d.lineage.fixed_links}, hubs {d.lineage.hubs}",
        )
    )


def register(app: typer.Typer) -> None:
    app.command("info", help=t("バージョン・データベースの場所・件数", "version, database location, counts"))(info)
    app.add_typer(db_app, name="db")
    app.command(
        "import",
        help=t("CSV/XLSX を取り込む（全行が正しい場合のみ書き込み）", "import a CSV/XLSX file (all rows or nothing)"),
    )(import_cmd)
    app.command("export", help=t("表を CSV/XLSX/JSON で書き出す", "export a table as CSV/XLSX/JSON"))(export_cmd)
    app.command("summary", help=t("登録簿の概要", "registry summary"))(summary_cmd)
    app.add_typer(adoptions_app, name="adoptions")
    app.add_typer(region_app, name="region")
    app.command("timeline", help=t("施策の変遷", "policy timeline"))(timeline_cmd)
    app.add_typer(orgs_app, name="organizations")
    app.add_typer(lineage_app, name="lineage")
