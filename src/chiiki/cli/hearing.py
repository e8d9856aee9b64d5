"""``chiiki hearing``: hearing records and their documents (ヒアリング調査).

Only option parsing and formatting here; the work is in :mod:`chiiki.hearings`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from chiiki.cli.i18n import LANG
from chiiki.hearings.tables import cli_errors, emit, emit_warnings, open_session

app = typer.Typer(
    help="ヒアリング調査の記録と文書 / Hearing (interview) records and documents.",
    no_args_is_help=True,
)

DB_HELP = "データベース URL / database URL (default: CHIIKI_DB_URL or ./chiiki.db)"


def _parse_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    if not value:
        return None, None, None
    parts = [int(p) for p in value.replace("/", "-").split("-") if p]
    parts += [None] * (3 - len(parts))  # type: ignore[list-item]
    return parts[0], parts[1], parts[2]


@app.command("add")
@cli_errors
def add(
    key: str = typer.Option(..., help="識別キー / unique key, e.g. 2024-09-tsuruoka"),
    title: str = typer.Option(..., help="表題 / title"),
    region: str | None = typer.Option(None, help="地域名 / region label, e.g. 鶴岡地域"),
    date: str | None = typer.Option(None, help="実施年月 / date YYYY-MM or YYYY-MM-DD"),
    interviewers: str | None = typer.Option(None, help="聞き手 / interviewers (personal data)"),
    guide: str | None = typer.Option(None, help="調査項目キー / interview guide key"),
    consent: str = typer.Option("pending", help="同意 / consent: obtained, pending, refused, not_needed"),
    org: list[str] = typer.Option([], help="対象機関 '名称:種別' / organization 'name:kind' (repeatable)"),
    adoption: list[str] = typer.Option([], help="関連する採択ID / related adoption id"),
    interviewee: list[str] = typer.Option(
        [], help="対象者 '氏名[:所属]' / person interviewed 'name[:organization]' (personal data)"
    ),
    note: str | None = typer.Option(None, help="備考 / note"),
    sample: bool = typer.Option(False, help="サンプル（架空）データ / sample (made-up) record"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """ヒアリングを追加（同じキーなら更新） / Add a hearing (same key updates it)."""
    from chiiki.hearings.records import (
        add_hearing_adoption,
        add_hearing_organization,
        add_interviewee,
        create_hearing,
        link_hearing_hubs,
    )

    year, month, day = _parse_date(date)
    with open_session(db) as session:
        h = create_hearing(
            session,
            key,
            title,
            region=region,
            year=year,
            month=month,
            day=day,
            interviewers=interviewers,
            guide_key=guide,
            consent=consent,
            note=note,
            is_sample=sample,
        )
        for i, spec in enumerate(org, start=1):
            name, _, kind = spec.rpartition(":") if ":" in spec else (spec, "", "other")
            add_hearing_organization(session, h, name, kind=kind or "other", order=i)
        for a in adoption:
            add_hearing_adoption(session, h, a)
        for spec in interviewee:
            person, _, affiliation = spec.partition(":")
            add_interviewee(session, h, person.strip(), organization=affiliation.strip() or None)
        result = link_hearing_hubs(session)
        typer.echo(f"hearing {h.id} ({h.key}) saved")
        emit_warnings([w for w in result.warnings if w.startswith(h.key)])


@app.command("import")
@cli_errors
def import_(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help=".txt / .md / .docx"),
    hearing: str | None = typer.Option(None, "--hearing", help="ヒアリング ID またはキー"),
    title: str | None = typer.Option(None, help="文書名 / title (default: file name)"),
    source_type: str = typer.Option(
        "transcript",
        help="transcript, notes, questionnaire, evaluation_comment, report, other",
    ),
    hub: str | None = typer.Option(None, help="拠点 ID/キー / hub id or key"),
    sample: bool = typer.Option(False, help="サンプル文書 / sample document (【サンプル】)"),
    personal: bool | None = typer.Option(
        None,
        "--personal/--no-personal",
        help="個人情報を含む / contains personal data (default: yes for transcripts)",
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """ファイルを文書として取り込む（文字コード自動判定） / Import a file as a document."""
    from chiiki.hearings.importing import import_document
    from chiiki.hearings.records import get_hearing
    from chiiki.hearings.selection import resolve_hub

    with open_session(db) as session:
        h = get_hearing(session, hearing) if hearing else None
        hub_id = resolve_hub(session, hub).id if hub else None
        doc = import_document(
            session,
            path,
            title=title,
            source_type=source_type,
            hearing=h,
            hub_id=hub_id,
            is_sample=sample,
            contains_personal_data=personal,
        )
        typer.echo(f"document {doc.id}: {len(doc.text)} chars, encoding {doc.encoding}, {len(doc.turns)} speaker turns")


@app.command("list")
@cli_errors
def list_(
    fmt: str = typer.Option("table", "--format", help="table | csv"),
    lang: str = typer.Option(LANG, help="ja | en"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """ヒアリング一覧（表1形式） / List hearings (Table 1 style)."""
    from chiiki.hearings.records import list_hearings

    with open_session(db) as session:
        result = list_hearings(session, lang=lang)
    df = result.summary
    if fmt == "table":  # the terminal gets Table 1's columns; CSV keeps every column
        df = df[["id", "region", "organizations", "date", "hubs", "documents"]]
    emit(df, fmt, title="ヒアリング調査実施機関一覧" if lang == "ja" else "Hearings")


@app.command("show")
@cli_errors
def show(
    hearing: str = typer.Argument(..., help="ヒアリング ID またはキー / id or key"),
    include_personal: bool = typer.Option(
        False, "--include-personal", help="氏名などを表示 / show names (personal data)"
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """ヒアリングの詳細 / Show one hearing."""
    import json

    from chiiki.hearings.records import hearing_detail

    with open_session(db) as session:
        detail = hearing_detail(session, hearing, include_personal=include_personal)
    typer.echo(json.dumps(detail, ensure_ascii=False, indent=2))


@app.command("load-bundled")
@cli_errors
def load_bundled(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """報告書の表1ヒアリング記録を読み込む / Load the report's Table 1 hearing records."""
    from chiiki.hearings.bundled import load_bundled_hearings

    with open_session(db) as session:
        counts = load_bundled_hearings(session)
    unlinked = counts.pop("unlinked")
    typer.echo(", ".join(f"{k}={v}" for k, v in counts.items()))
    emit_warnings(unlinked)
    if unlinked:
        emit_warnings(
            [
                "登録簿を読み込んでから再実行すると拠点に結び付きます / load the registry, then run "
                "this again to link the hearings to hubs"
            ]
        )
