"""`chiiki demo` — write a seeded synthetic registry (合成データ) into a new database.

The data are marked synthetic everywhere (program ids ``DEMO_*``, names 【合成データ】); the
command refuses a database that already holds adoptions.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="合成データ（デモ用）を生成します (generate a synthetic demo registry).",
    no_args_is_help=True,
)


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{Path(db).expanduser().resolve()}"


@app.command("generate")
def generate(
    seed: int = typer.Option(0, "--seed", help="乱数の種 (random seed)."),
    n: int = typer.Option(300, "--n", min=1, help="採択件数 (number of adoptions)."),
    db: str = typer.Option(..., "--db", help="書き込み先のファイルパスまたはURL (SQLite path or database URL)."),
) -> None:
    """効果を埋め込んだ合成登録データを新しいデータベースに書き込みます (write demo data)."""
    from chiiki.factors.demo import DEFAULT_EFFECTS, generate_demo, write_demo_database
    from chiiki.factors.errors import DemoDatabaseError

    data = generate_demo(seed=seed, n=n)
    try:
        counts = write_demo_database(data, _url(db))
    except DemoDatabaseError as exc:
        typer.echo(f"エラー (error): {exc}", err=True)
        raise typer.Exit(code=1) from exc
    effects = ", ".join(f"{k} → {o}: OR {r:g}" for k, (o, r) in DEFAULT_EFFECTS.items())
    typer.echo(f"【合成データ】 seed={seed}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    typer.echo(f"埋め込んだ効果 (planted effects): {effects}")
