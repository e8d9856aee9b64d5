"""Report charts drawn with matplotlib (Agg, IPAex Gothic via matplotlib-fontja) as PNG bytes.

Why PNG embedded as data: URIs: one self-contained HTML file that opens offline and renders
identically in WeasyPrint; Japanese glyphs come from the same font the PDF uses.
"""

from __future__ import annotations

import base64
import io
import math
import unicodedata
from typing import TYPE_CHECKING

from chiiki.i18n import Translator

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

DPI = 120
FOREST_WIDTH = 8.0  # inches
LABEL_WIDTH = 30  # columns per label line (a CJK character takes two)


def pyplot():  # type: ignore[no-untyped-def]
    """pyplot on the Agg backend with the Japanese font registered (imported lazily)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (registers IPAex Gothic as the default family)

    return plt


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    pyplot().close(fig)
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def timeline_chart(counts: pd.DataFrame, tr: Translator) -> bytes | None:
    """Stacked bars: selections per start FY, one colour per program family (policy order)."""
    if counts.empty:
        return None
    plt = pyplot()
    years = list(range(int(min(counts.columns)), int(max(counts.columns)) + 1))
    table = counts.reindex(columns=years, fill_value=0)
    fig, ax = plt.subplots(figsize=(10, 4.6))
    cmap = plt.get_cmap("tab10" if len(table) <= 10 else "tab20")
    bottom = [0] * len(years)
    for i, (label, row) in enumerate(table.iterrows()):
        values = [int(v) for v in row.tolist()]
        ax.bar(years, values, bottom=bottom, label=str(label), color=cmap(i % cmap.N), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xlabel(tr.gettext("Start fiscal year"))
    ax.set_ylabel(tr.gettext("Selections"))
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=90, fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return to_png(fig)


def _finite_positive(*values: object) -> bool:
    try:
        return all(v is not None and math.isfinite(float(v)) and float(v) > 0 for v in values)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` in lines of at most ``width`` columns (CJK characters count two).

    Why not textwrap: Japanese has no spaces to break at, and textwrap counts characters, not
    their width. Breaks fall after a space or a Japanese separator (、・／) near the limit when
    there is one, else at the limit; a parenthesis never starts a line alone.
    """
    lines: list[str] = []
    line, cols, last_break = "", 0, -1
    for ch in text:
        if cols + _columns(ch) > width and line:
            cut = last_break + 1 if last_break >= len(line) // 2 else len(line)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
            cols = sum(_columns(c) for c in line)
            last_break = -1
        line += ch
        cols += _columns(ch)
        if ch in " 、・／/":
            last_break = len(line) - 1
    if line:
        lines.append(line)
    return "\n".join(lines)


def forest_rows(key_factors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into plottable (finite positive estimate and CI) and untestable ones."""
    mask = [
        _finite_positive(e, lo, hi)
        for e, lo, hi in zip(key_factors["estimate"], key_factors["ci_low"], key_factors["ci_high"], strict=True)
    ]
    import pandas as pd

    keep = pd.Series(mask, index=key_factors.index, dtype=bool)
    return key_factors[keep], key_factors[~keep]


def forest_plot(rows: pd.DataFrame, tr: Translator) -> bytes | None:
    """The forest plot as PNG bytes (None without rows); see :func:`forest_figure`."""
    fig = forest_figure(rows, tr)
    return None if fig is None else to_png(fig)


def forest_figure(rows: pd.DataFrame, tr: Translator) -> Figure | None:
    """OR/HR with 95% CI on a log axis; 1 = no difference.

    The rows are the primary (adjusted) estimates; when ``rows`` has ``crude_estimate``, the
    crude estimate of the same factor and outcome is drawn beside each as a hollow grey circle,
    so a reader sees at a glance how much the adjustment moved it. Each label is the factor
    over its outcome, wrapped at :data:`LABEL_WIDTH` columns; the figure keeps its width and
    makes room for the labels inside it (a long label neither runs off the figure nor widens
    the image, which the page would then shrink until unreadable).
    """
    if rows.empty:
        return None
    plt = pyplot()
    labels = [f"{wrap_label(str(r.factor_label))}\n/ {wrap_label(str(r.outcome_label))}" for r in rows.itertuples()]
    lines = [label.count("\n") + 1 for label in labels]
    height = 1.3 + 0.2 * sum(lines) + 0.1 * len(rows)
    fig, ax = plt.subplots(figsize=(FOREST_WIDTH, height))
    # rows from the top, each as tall as its label
    ys, top = [], 0.0
    for n in reversed(lines):
        ys.append(top + n / 2)
        top += n + 0.5
    ys = ys[::-1]
    est = rows["estimate"].astype(float).tolist()
    lo = rows["ci_low"].astype(float).tolist()
    hi = rows["ci_high"].astype(float).tolist()
    for y, e, a, b in zip(ys, est, lo, hi, strict=True):
        ax.plot([a, b], [y, y], color="#333333", linewidth=1.4)
        ax.plot([e], [y], marker="s", color="#1f4e79", markersize=6)
    handles = [ax.plot([], [], marker="s", color="#1f4e79", linestyle="-", label=tr.gettext("Adjusted (95% CI)"))[0]]
    if "crude_estimate" in rows:
        crude = [(y, float(c)) for y, c in zip(ys, rows["crude_estimate"], strict=True) if _finite_positive(c)]
        if crude:
            ax.plot(
                [c for _, c in crude],
                [y for y, _ in crude],
                marker="o",
                linestyle="none",
                markerfacecolor="none",
                markeredgecolor="#888888",
                markersize=6,
            )
            handles.append(
                ax.plot(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markerfacecolor="none",
                    markeredgecolor="#888888",
                    label=tr.gettext("Crude"),
                )[0]
            )
    ax.axvline(1.0, color="#999999", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8, linespacing=1.15)
    ax.set_ylim(-0.4, top - 0.1)
    ax.set_xlabel(tr.gettext("Odds ratio / hazard ratio (log scale, 95% CI)"))
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def km_plot(curves: pd.DataFrame, tr: Translator, group_title: str | None = None) -> bytes | None:
    """Kaplan–Meier step curves per group with their confidence bands."""
    if curves is None or curves.empty:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    cmap = plt.get_cmap("tab10")
    for i, (group, part) in enumerate(curves.groupby("group", sort=True)):
        part = part.sort_values("time")
        color = cmap(i % 10)
        ax.step(part["time"], part["survival"], where="post", color=color, label=str(group))
        if {"ci_low", "ci_high"} <= set(part.columns) and part["ci_low"].notna().any():
            ax.fill_between(
                part["time"], part["ci_low"], part["ci_high"], step="post", color=color, alpha=0.15, linewidth=0
            )
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(tr.gettext("Years after the program ended"))
    ax.set_ylabel(tr.gettext("Share without a successor adoption yet"))
    ax.legend(fontsize=8, frameon=False, title=group_title, title_fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_png(fig)
