"""Term frequency lists (頻出語リスト)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chiiki.text.corpus import Doc
from chiiki.text.tokenize import Tokenizer
from chiiki.text.tokenized import TokenizedCorpus, as_tokenized

if TYPE_CHECKING:
    import pandas as pd


def frequencies(docs: Iterable[Doc] | TokenizedCorpus, tokenizer: Tokenizer | None = None) -> pd.DataFrame:
    """Frequency list: ``term, pos, forced, tf, df`` sorted by tf (then df, term).

    ``tf`` counts occurrences, ``df`` the documents containing the term; ``forced`` flags
    terms that come from the forced-extraction list, so researchers see what was merged.
    """
    import numpy as np
    import pandas as pd

    tc = as_tokenized(docs, tokenizer, "document")
    counts = tc.doc_counts()
    tf = np.asarray(counts.sum(axis=0)).ravel()
    df = np.diff(counts.tocsc().indptr)
    out = pd.DataFrame({"term": tc.vocab, "pos": tc.pos, "forced": tc.forced, "tf": tf, "df": df})
    out = out.sort_values(["tf", "df", "term"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)
