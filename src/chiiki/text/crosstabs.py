"""Cross-tabulation of codes by an external variable, with χ² tests and adjusted residuals.

For each code the table is groups × {coded, not coded}; like KH Coder's コードのクロス集計
we report, per group, the number and % of documents carrying the code, Pearson's χ² (no
continuity correction) per code, and Haberman's adjusted residuals

    r_ij = (O_ij - E_ij) / sqrt(E_ij (1 - n_i+/n) (1 - n_+j/n))

which are approximately N(0, 1) under independence (|r| > 1.96 ≈ 5 % level).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chiiki.i18n import Message, msg
from chiiki.text.corpus import Doc
from chiiki.text.rules import CodingRules
from chiiki.text.tokenize import Tokenizer

if TYPE_CHECKING:
    import pandas as pd

# Stable keys of the total row and the count column (interfaces show them in the reader's language).
TOTAL = "total"
N_DOCS = "documents"


def adjusted_residuals(table: pd.DataFrame) -> pd.DataFrame:
    """Haberman's adjusted (standardized Pearson) residuals of a two-way count table."""
    import numpy as np
    import pandas as pd

    obs = table.to_numpy(dtype=float)
    n = obs.sum()
    row = obs.sum(axis=1, keepdims=True)
    col = obs.sum(axis=0, keepdims=True)
    exp = row @ col / n
    with np.errstate(divide="ignore", invalid="ignore"):
        res = (obs - exp) / np.sqrt(exp * (1 - row / n) * (1 - col / n))
    return pd.DataFrame(res, index=table.index, columns=table.columns)


@dataclass
class CrosstabResult:
    """Codes × groups: counts, %, χ² per code, adjusted residuals and small-cell warnings."""

    counts: pd.DataFrame  # groups × codes (documents with the code)
    totals: pd.Series  # documents per group
    percent: pd.DataFrame
    chi2: pd.DataFrame  # code, chi2, dof, p, min_expected, n_small
    adjusted_residuals: pd.DataFrame  # groups × codes
    variable: str
    warnings: list[Message] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of documents tabulated."""
        return int(self.totals.sum())

    @property
    def table(self) -> pd.DataFrame:
        """Counts and % per group, with a total row, ready to print or export."""
        import pandas as pd

        counts = pd.concat([self.counts, self.counts.sum().to_frame(TOTAL).T])
        totals = pd.concat([self.totals, pd.Series({TOTAL: self.totals.sum()})])
        out = pd.DataFrame({N_DOCS: totals})
        for code in self.counts.columns:
            out[code] = counts[code]
            out[f"{code} (%)"] = (100 * counts[code] / totals).round(2)
        out.index.name = self.variable
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """χ² test per code."""
        return self.chi2


def crosstab_codes(coded: pd.DataFrame, groups: pd.Series, variable: str) -> CrosstabResult:
    """Cross-tabulate a boolean doc × code frame against a group label per document."""
    import numpy as np
    import pandas as pd
    from scipy.stats import chi2_contingency

    warnings: list[Message] = []
    keep = groups.notna() & (groups.astype(str) != "")
    if (~keep).any():
        warnings.append(msg("text.documents_lack_variable", "warning", n=int((~keep).sum()), variable=variable))
    coded, groups = coded[keep.to_numpy()], groups[keep]
    labels = groups.astype(str).to_numpy()
    counts = coded.groupby(labels).sum().astype("int64")
    totals = pd.Series(labels).value_counts().reindex(counts.index).astype("int64")
    percent = counts.div(totals, axis=0) * 100
    rows, resid = [], {}
    for code in counts.columns:
        two = pd.DataFrame({"coded": counts[code], "not": totals - counts[code]})
        resid[code] = adjusted_residuals(two)["coded"]
        if len(two) < 2 or (two.sum() == 0).any():
            rows.append((code, np.nan, 0, np.nan, np.nan, 0))
            warnings.append(msg("text.code_not_testable", "warning", name=code))
            continue
        stat, p, dof, exp = chi2_contingency(two.to_numpy(), correction=False)
        small = int((exp < 5).sum())
        if small:
            warnings.append(msg("text.small_expected", "warning", name=code, n=small, cells=int(exp.size)))
        rows.append((code, float(stat), int(dof), float(p), float(exp.min()), small))
    chi2 = pd.DataFrame(rows, columns=["code", "chi2", "dof", "p", "min_expected", "n_small"])
    counts.index.name = percent.index.name = variable
    return CrosstabResult(counts, totals, percent, chi2, pd.DataFrame(resid), variable, warnings)


def crosstab(
    docs: Iterable[Doc],
    tokenizer: Tokenizer | None,
    rules: CodingRules,
    variable: str,
) -> CrosstabResult:
    """Apply ``rules`` to ``docs`` and cross-tabulate the codes by ``doc.meta[variable]``."""
    import pandas as pd

    docs = list(docs)
    coded = rules.apply(docs, tokenizer)
    groups = pd.Series([d.meta.get(variable) for d in docs], index=coded.index)
    return crosstab_codes(coded, groups, variable)
