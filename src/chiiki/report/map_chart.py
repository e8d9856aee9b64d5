"""Map of Japan by prefecture: selections (left) and successor rate (right).

Choice: prefecture outlines come from ``japanmap`` (its bundled border data, read with numpy
only; we never call ``japanmap.picture`` and so never import OpenCV at run time) and are drawn as
vector polygons with matplotlib, which keeps labels and colour bars in one figure. When
``japanmap`` is not installed, a tile grid of the 47 prefectures is drawn instead, so the report
never fails for want of a map package; the caption states which one was used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chiiki.i18n import Translator
from chiiki.report.charts import pyplot, to_png
from chiiki.report.prefectures import PREFECTURES, short_name

if TYPE_CHECKING:
    import pandas as pd

MAP_STYLES = ("auto", "japanmap", "tiles")
_NO_DATA = "#e6e6e6"


def _japanmap_polygons() -> list | None:
    """One outline per prefecture (JIS order) as [[lon, lat], ...]; None without japanmap."""
    try:
        import japanmap
    except ImportError:
        return None
    return japanmap.pref_points(japanmap.get_data(move_hokkaido=True, move_okinawa=True))


def resolve_style(style: str = "auto") -> str:
    if style not in MAP_STYLES:
        raise ValueError(f"map style must be one of {MAP_STYLES}")
    if style == "auto":
        return "japanmap" if _japanmap_polygons() is not None else "tiles"
    return style


def _colors(values: list[float | None], cmap, vmax: float) -> list:  # type: ignore[no-untyped-def]
    """Colours from the upper 80% of the colormap so a low value never looks like 'no data'."""
    return [_NO_DATA if v is None else cmap(0.2 + 0.8 * (v / vmax if vmax else 0.0)) for v in values]


def _draw_polygons(ax, facecolors: list) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.collections import PolyCollection

    polygons = _japanmap_polygons() or []
    shapes = [[(x * 0.812, y) for x, y in pts] for pts in polygons]
    ax.add_collection(PolyCollection(shapes, facecolors=facecolors, edgecolors="white", linewidths=0.4))
    ax.autoscale_view()
    ax.set_aspect("equal")


def _draw_tiles(ax, facecolors: list, labels: list[str]) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    for (_ja, _en, col, row), color, label in zip(PREFECTURES, facecolors, labels, strict=True):
        ax.add_patch(Rectangle((col, -row), 0.94, 0.94, facecolor=color, edgecolor="white"))
        ax.text(col + 0.47, -row + 0.47, label, ha="center", va="center", fontsize=5.5)
    ax.set_xlim(-0.2, 12.2)
    ax.set_ylim(-11.2, 1.2)
    ax.set_aspect("equal")


def prefecture_map(stats: pd.DataFrame, tr: Translator, style: str = "auto") -> bytes:
    """Two choropleths in one PNG; grey = no selection / no known outcome."""
    plt = pyplot()
    from matplotlib import cm
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Patch

    style = resolve_style(style)
    counts = [int(v) for v in stats["n_selections"]]
    rates = [None if v != v else float(v) for v in stats["successor_rate"]]  # NaN -> None
    panels: list[tuple[str, list[float | None], float, Any]] = [
        (tr.gettext("Selections"), [c if c > 0 else None for c in counts], max(counts) or 1.0, plt.get_cmap("Blues")),
        (
            tr.gettext("Successor rate (selections with a known outcome)"),
            rates,
            1.0,
            plt.get_cmap("Oranges"),
        ),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(10, 5.2))
    short = [short_name(ja, en, tr.lang) for ja, en, _c, _r in PREFECTURES]
    for ax, (title, values, vmax, cmap) in zip(axes, panels, strict=True):
        colors = _colors(values, cmap, vmax)
        if style == "japanmap":
            _draw_polygons(ax, colors)
        else:
            _draw_tiles(ax, colors, short)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
        shown = LinearSegmentedColormap.from_list("shown", [cmap(0.2), cmap(1.0)])
        mappable = cm.ScalarMappable(norm=Normalize(0, vmax), cmap=shown)
        fig.colorbar(mappable, ax=ax, shrink=0.6, pad=0.02)
    fig.legend(
        handles=[Patch(facecolor=_NO_DATA, label=tr.gettext("no data"))], loc="lower center", frameon=False, fontsize=8
    )
    return to_png(fig)
