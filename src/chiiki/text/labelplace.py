"""Label placement for scatter and network figures: no two labels overlap.

Why not adjustText: its force iterations minimise overlaps but do not guarantee none, and a
dense CA map (60 terms near the origin) keeps some. This greedy search does: each label, most
important first, takes the nearest free spot on rings around its anchor (in display pixels),
checked against every label already placed, and gets a thin leader line when it moved away.
Deterministic (no randomness, fixed candidate order); call it after the axes limits and the
layout are final, since it works in display coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PAD = 2.0  # pixels kept free around every label
RINGS = 60  # search rings around the anchor, each one label-height further out
DIRECTIONS = 16


def _candidates(w: float, h: float) -> Any:
    """Offsets (pixels) of the label centre from its anchor, nearest ring first: ring ``k`` is
    ``k`` label heights out (stretched by the label's aspect) with more directions further out."""
    import numpy as np

    parts = [np.zeros((1, 2))]
    stretch = max(1.0, w / (2 * h))
    for ring in range(1, RINGS + 1):
        n = DIRECTIONS * (ring // 4 + 1)
        angle = 2 * np.pi * np.arange(n) / n
        r = ring * (h + PAD)
        parts.append(np.column_stack([r * np.cos(angle) * stretch, r * np.sin(angle)]))
    return np.vstack(parts)


def place_labels(ax: Any, texts: Sequence[Any], leader_color: str = "#999999") -> int:
    """Move ``texts`` (matplotlib Text artists in data coordinates) so none overlaps another or
    leaves the figure; returns how many were moved. ``texts`` in order of importance."""
    import numpy as np

    fig = ax.figure
    fig.canvas.draw()  # applies the aspect ratio and layout: the pixel geometry is final from here
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    to_data = ax.transData.inverted()
    placed = np.empty((0, 4))
    moved = 0
    for text in texts:
        anchor = ax.transData.transform(text.get_position())
        text.set_horizontalalignment("center")
        text.set_verticalalignment("center")
        box = text.get_window_extent(renderer)
        w, h = box.width + 2 * PAD, box.height + 2 * PAD
        cand = anchor + _candidates(w, h)
        boxes = np.column_stack([cand[:, 0] - w / 2, cand[:, 1] - h / 2, cand[:, 0] + w / 2, cand[:, 1] + h / 2])
        inside = (
            (boxes[:, 0] >= fig_box.x0)
            & (boxes[:, 1] >= fig_box.y0)
            & (boxes[:, 2] <= fig_box.x1)
            & (boxes[:, 3] <= fig_box.y1)
        )
        if len(placed):
            hit = (
                (boxes[:, None, 0] < placed[None, :, 2])
                & (boxes[:, None, 2] > placed[None, :, 0])
                & (boxes[:, None, 1] < placed[None, :, 3])
                & (boxes[:, None, 3] > placed[None, :, 1])
            ).any(axis=1)
        else:
            hit = np.zeros(len(boxes), dtype=bool)
        free = np.flatnonzero(~hit & inside)
        if len(free) == 0:
            free = np.flatnonzero(~hit)
        i = int(free[0]) if len(free) else 0
        centre = cand[i]
        text.set_position(tuple(to_data.transform(centre)))
        placed = np.vstack([placed, boxes[i]])
        if i:
            moved += 1
            (x0, y0), (x1, y1) = to_data.transform(anchor), to_data.transform(centre)
            ax.plot([x0, x1], [y0, y1], color=leader_color, linewidth=0.5, zorder=0.5)
    return moved


def overlapping(texts: Sequence[Any]) -> list[tuple[str, str]]:
    """Pairs of ``texts`` whose drawn extents overlap (for tests and checks)."""
    fig = texts[0].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_text()]
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            if ba.overlaps(bb):
                out.append((a, b))
    return out
