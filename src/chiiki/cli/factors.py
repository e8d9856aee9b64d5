"""`chiiki factors` — key-factor analysis of the registry (重要因子の統計分析).

Only parses options, calls :func:`chiiki.factors.analysis.run_analysis` and formats what
comes back. Heavy imports (pandas, scipy, lifelines) happen inside the command so that
`chiiki --help` stays fast.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import typer

from chiiki.cli.i18n import LANG

if TYPE_CHECKING:
    from chiiki.factors.analysis import FactorAnalysis

app = typer.Typer(
    help="後継事業・地域継続の重要因子を分析します (analyse key factors for hub continuation).",
    no_args_is_help=True,
)

_T = {
    "title": ("重要因子（後継事業・地域継続）", "Key factors (successor / regional continuation)"),
    "factor": ("因子", "factor"),
    "outcome": ("結果", "outcome"),
    "method": ("手法", "method"),
    "estimate": ("推定値", "estimate"),
    "ci": ("95%信頼区間", "95% CI"),
    "p": ("p値", "p"),
    "q": ("補正p値", "adj. p"),
    "n": ("n", "n"),
    "evidence": ("証拠の強さ", "evidence"),
    "verdicts": ("仮説の判定", "Hypotheses"),
    "cutoff": ("観測打ち切り年度", "cutoff FY"),
    "excluded": ("除外", "excluded"),
}


def _t(key: str, lang: str) -> str:
    return _T[key][1 if lang == "en" else 0]


def _num(v: object) -> str:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return "—"
    if math.isinf(f):
        return "∞"
    return f"{f:.3g}"


def _ci(low: object, high: object) -> str:
    lo, hi = _num(low), _num(high)
    return "—" if lo == hi == "—" else f"{lo}–{hi}"


@app.command("run")
def run(
    json_out: bool = typer.Option(
        False, "--json", help="結果をJSONで標準出力に出します (print JSON records to stdout)."
    ),
    window: int = typer.Option(5, "--window", min=1, help="後継事業とみなす終了後の年数 (successor window in FY)."),
    cutoff: int | None = typer.Option(
        None,
        "--cutoff",
        help="観測の打ち切り年度。省略時はデータ中の最新年度 (cutoff FY; default: latest FY in the data).",
    ),
    lang: str = typer.Option(LANG, "--lang", help="表示言語 ja|en (display language)."),
    db: str | None = typer.Option(
        None, "--db", help="データベースURL。省略時は CHIIKI_DB_URL または ./chiiki.db (database URL)."
    ),
) -> None:
    """登録データから重要因子を推定し、表またはJSONで示します (run the key-factor analysis)."""
    if lang not in ("ja", "en"):
        raise typer.BadParameter("--lang は ja か en (ja or en)")
    from chiiki.factors.analysis import AnalysisParams, run_analysis
    from chiiki.factors.data import load_analysis_data
    from chiiki.model.db import session_scope

    with session_scope(db) as session:
        data = load_analysis_data(session, cutoff_fy=cutoff)
    result = run_analysis(data, AnalysisParams(successor_window_years=window, cutoff_fy=cutoff, lang=lang))
    if json_out:
        typer.echo(json.dumps(result.to_records(), ensure_ascii=False, indent=2))
        return
    _print_table(result, lang)


def _print_table(result: FactorAnalysis, lang: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from chiiki.factors.table import OUTCOME_LABELS

    console = Console()
    kf = result.key_factors
    table = Table(title=_t("title", lang))
    for key in ("factor", "outcome", "method", "estimate", "ci", "p", "q", "n", "evidence"):
        table.add_column(_t(key, lang), overflow="fold")
    for _, r in kf.iterrows():
        label = OUTCOME_LABELS.get(r["outcome"], (r["outcome"], r["outcome"]))
        table.add_row(
            str(r["factor_label"]),
            label[1 if lang == "en" else 0],
            str(r["method"]),
            _num(r["estimate"]),
            _ci(r["ci_low"], r["ci_high"]),
            _num(r["p_value"]),
            _num(r["p_adjusted"]),
            str(r["n"]),
            str(r["evidence"]),
        )
    console.print(table)
    console.print(
        f"{_t('cutoff', lang)}: {result.parameters['cutoff_fy']}  {_t('excluded', lang)}: {result.exclusions}"
    )
    console.print(f"[bold]{_t('verdicts', lang)}[/bold]")
    for v in result.verdicts:
        console.print(escape(f"{v.id} [{v.status_label(lang)}] {v.statement(lang)}\n    {v.reason(lang)}"))
