"""Correspondence analysis of terms × an external variable (対応分析), e.g. hub or session.

Computed as in Greenacre (2007) and R ``ca``: with P = N/n, row masses r and column masses c,
the standardized residuals S = D_r^-1/2 (P - r cᵀ) D_c^-1/2 are decomposed by SVD, S = U Σ Vᵀ.
Principal inertias are σ²; standard row coordinates D_r^-1/2 U, principal ones D_r^-1/2 U Σ
(likewise for columns with V). Signs are fixed so that each column of V has a positive
largest-magnitude entry, which makes the output deterministic across platforms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import N_, Message, msg, translator
from chiiki.text.corpus import Doc
from chiiki.text.errors import TextError
from chiiki.text.labelplace import place_labels
from chiiki.text.tokenize import Tokenizer
from chiiki.text.tokenized import TokenizedCorpus, as_tokenized

if TYPE_CHECKING:
    import pandas as pd


TITLE = N_("Correspondence analysis")
TERMS = N_("terms")
AXIS = N_("Dimension {n} ({percent}%)")
# The document variables a map can compare, as readers call them.
VARIABLES = {
    "hub": N_("hub"),
    "region": N_("region"),
    "org_kind": N_("organization kind"),
    "source_type": N_("source type"),
    "hearing": N_("hearing"),
    "date": N_("date"),
    "code": N_("code"),
}


# Fewer documents than this (with the variable) and the map shows the documents, not a pattern.
MIN_DOCUMENTS = 5


class DegenerateTableError(TextError):
    """Raised when the table has fewer than 2 non-empty rows or columns (nothing to analyse)."""


@dataclass
class CAResult:
    """Correspondence analysis result: coordinates, masses and principal inertias."""

    table: pd.DataFrame
    row_coords: pd.DataFrame  # principal coordinates
    col_coords: pd.DataFrame
    row_standard: pd.DataFrame  # standard coordinates (R ca: rowcoord)
    col_standard: pd.DataFrame
    row_mass: pd.Series
    col_mass: pd.Series
    inertia: pd.DataFrame  # dim, eigenvalue, percent, cumulative
    warnings: list[Message] = field(default_factory=list)

    @property
    def total_inertia(self) -> float:
        """Total inertia = χ² / n."""
        return float(self.inertia["eigenvalue"].sum())

    @property
    def summary(self) -> pd.DataFrame:
        """Principal inertias with % explained."""
        return self.inertia

    @property
    def n(self) -> int:
        """Grand total of the table."""
        return int(self.table.to_numpy().sum())

    def figure(self, dims: tuple[int, int] = (1, 2), lang: str = "ja", variable: str | None = None) -> Any:
        """Symmetric map (rows and columns in principal coordinates), labels in ``lang``."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib_fontja  # noqa: F401

        t = translator(lang)
        a, b = (f"dim{d}" for d in dims)
        fig, ax = plt.subplots(figsize=(9, 8))
        ax.axhline(0, color="#bbbbbb", lw=0.8)
        ax.axvline(0, color="#bbbbbb", lw=0.8)
        rows = self.row_coords
        cols = self.col_coords
        if b not in rows.columns:  # a one-dimensional solution: plot on a line
            rows, cols = rows.assign(**{b: 0.0}), cols.assign(**{b: 0.0})
        mass = self.row_mass / self.row_mass.max()
        ax.scatter(rows[a], rows[b], s=20 + 200 * mass, c="#4c72b0", alpha=0.6, label=t.gettext(TERMS))
        term_texts = [
            ax.text(x, y, str(term), fontsize=9, family="IPAexGothic")
            for term, x, y in zip(rows.index, rows[a], rows[b], strict=True)
        ]
        name = variable or self.table.columns.name or ""
        group = t.gettext(VARIABLES[name]) if name in VARIABLES else str(name)
        ax.scatter(cols[a], cols[b], marker="s", s=80, c="#dd4444", label=group)
        group_texts = [
            ax.text(x, y, str(label), fontsize=11, color="#aa0000", family="IPAexGothic")
            for label, x, y in zip(cols.index, cols[a], cols[b], strict=True)
        ]
        pct = self.inertia.set_index("dim")["percent"]
        ax.set_xlabel(t.gettext(AXIS).format(n=dims[0], percent=f"{pct.get(dims[0], 0):.1f}"), family="IPAexGothic")
        ax.set_ylabel(t.gettext(AXIS).format(n=dims[1], percent=f"{pct.get(dims[1], 0):.1f}"), family="IPAexGothic")
        ax.set_title(t.gettext(TITLE), family="IPAexGothic")
        ax.legend(loc="best", prop={"family": "IPAexGothic", "size": 9})
        ax.set_xlim(ax.get_xlim())  # fixed limits: the placement works in display pixels
        ax.set_ylim(ax.get_ylim())
        fig.tight_layout()
        # the few values of the variable first, then the terms by mass: the heavy ones keep their spot
        order = sorted(range(len(term_texts)), key=lambda i: -float(mass.iloc[i]))
        place_labels(ax, group_texts + [term_texts[i] for i in order])
        return fig

    def labels(self) -> list[str]:
        """Every label the map draws: the terms, then the values of the variable."""
        return [str(x) for x in self.row_coords.index] + [str(x) for x in self.col_coords.index]

    def image(self, fmt: str = "png", dims: tuple[int, int] = (1, 2), lang: str = "ja") -> bytes:
        """The map as PNG or SVG bytes."""
        import io

        import matplotlib.pyplot as plt

        fig = self.figure(dims, lang)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt)
        plt.close(fig)
        return buf.getvalue()

    def biplot(self, path: str | Path, dims: tuple[int, int] = (1, 2), lang: str = "ja") -> Path:
        """Write the map to ``path``: PNG or SVG from the suffix."""
        from chiiki.ingest.atomic import write_bytes

        fmt = "svg" if str(path).lower().endswith(".svg") else "png"
        write_bytes(path, self.image(fmt, dims, lang))
        return Path(path)


def correspondence_table(table: pd.DataFrame) -> CAResult:
    """Correspondence analysis of a contingency table (rows × columns of counts).

    Empty rows/columns are dropped (with a warning) because they have no profile. With only
    two rows or columns the solution has one dimension: the map's second axis carries nothing,
    which the warning ``text.ca_one_dimension`` says.
    """
    import numpy as np
    import pandas as pd

    warnings: list[Message] = []
    tab = table.astype(float)
    nonzero_r, nonzero_c = tab.sum(axis=1) > 0, tab.sum(axis=0) > 0
    if not nonzero_r.all() or not nonzero_c.all():
        warnings.append(msg("text.ca_dropped_empty", "info"))
        tab = tab.loc[nonzero_r, nonzero_c]
    if tab.shape[0] < 2 or tab.shape[1] < 2:
        raise DegenerateTableError("text.ca_degenerate", rows=tab.shape[0], columns=tab.shape[1])
    if min(tab.shape) < 3:
        warnings.append(msg("text.ca_one_dimension", "warning", rows=tab.shape[0], columns=tab.shape[1]))
    n = tab.to_numpy()
    p = n / n.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sv, vt = np.linalg.svd(s, full_matrices=False)
    k = min(tab.shape) - 1
    u, sv, v = u[:, :k], sv[:k], vt[:k].T
    flip = np.sign(v[np.abs(v).argmax(axis=0), np.arange(k)])
    flip[flip == 0] = 1
    u, v = u * flip, v * flip
    dims = [f"dim{i}" for i in range(1, k + 1)]
    row_std = u / np.sqrt(r)[:, None]
    col_std = v / np.sqrt(c)[:, None]
    eig = sv**2
    inertia = pd.DataFrame(
        {
            "dim": np.arange(1, k + 1),
            "eigenvalue": eig,
            "percent": 100 * eig / eig.sum() if eig.sum() > 0 else np.zeros(k),
        }
    )
    inertia["cumulative"] = inertia["percent"].cumsum()
    return CAResult(
        table=tab,
        row_coords=pd.DataFrame(row_std * sv, index=tab.index, columns=dims),
        col_coords=pd.DataFrame(col_std * sv, index=tab.columns, columns=dims),
        row_standard=pd.DataFrame(row_std, index=tab.index, columns=dims),
        col_standard=pd.DataFrame(col_std, index=tab.columns, columns=dims),
        row_mass=pd.Series(r, index=tab.index),
        col_mass=pd.Series(c, index=tab.columns),
        inertia=inertia,
        warnings=warnings,
    )


def term_by_variable(
    tc: TokenizedCorpus, variable: str, top_n: int = 60, min_df: int = 2
) -> tuple[pd.DataFrame, list[Message]]:
    """Term × group table of term frequencies (KH Coder's 外部変数 CA input).

    Terms: the ``top_n`` most frequent with df ≥ ``min_df``. Documents without the variable
    are left out with a warning.
    """
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    warnings: list[Message] = []
    counts = tc.doc_counts()
    labels = [d.meta.get(variable) for d in tc.docs]
    missing = sum(v is None or v == "" for v in labels)
    if missing:
        warnings.append(msg("text.documents_lack_variable", "warning", n=missing, variable=variable))
    groups = sorted({v for v in labels if v})
    gi = {g: i for i, g in enumerate(groups)}
    rows = [i for i, v in enumerate(labels) if v]
    agg = sp.csr_matrix(
        (np.ones(len(rows)), ([gi[str(labels[i])] for i in rows], rows)),
        shape=(len(groups), len(labels)),
    )
    by_group = np.asarray((agg @ counts).todense()).T  # terms × groups
    tf = np.asarray(counts.sum(axis=0)).ravel()
    df = np.diff(counts.tocsc().indptr)
    cand = np.flatnonzero((df >= min_df) & (by_group.sum(axis=1) > 0))
    order = cand[np.lexsort((cand, -tf[cand]))][:top_n]
    vocab = np.asarray(tc.vocab, dtype=object)
    table = pd.DataFrame(by_group[order], index=list(vocab[order]), columns=groups)
    table.index.name, table.columns.name = "term", variable
    return table.astype("int64"), warnings


def correspondence(
    docs: Iterable[Doc] | TokenizedCorpus,
    tokenizer: Tokenizer | None,
    variable: str,
    top_n: int = 60,
    min_df: int = 2,
) -> CAResult:
    """Correspondence analysis of the frequent terms × the values of ``doc.meta[variable]``.

    Fewer than :data:`MIN_DOCUMENTS` documents with the variable: each group's profile is one
    or two documents, so the map places documents rather than showing how the groups differ
    (warning ``text.ca_few_documents``).
    """
    tc = as_tokenized(docs, tokenizer, "document")
    table, warnings = term_by_variable(tc, variable, top_n, min_df)
    with_variable = sum(bool(d.meta.get(variable)) for d in tc.docs)
    if with_variable < MIN_DOCUMENTS:
        warnings.append(msg("text.ca_few_documents", "warning", n=with_variable, minimum=MIN_DOCUMENTS))
    result = correspondence_table(table)
    result.warnings[:0] = warnings
    return result
