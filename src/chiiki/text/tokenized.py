"""A corpus tokenized once, stored as sparse term counts shared by every analysis.

Why: frequency lists, co-occurrence networks and correspondence analysis all need the same
term counts; tokenizing is >90 % of the cost, so it is done once per run and the analyses take
either documents (and tokenize them) or this object (and reuse it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chiiki.text.corpus import Doc, split_sentences
from chiiki.text.errors import TextError
from chiiki.text.tokenize import FORCED_POS, Tokenizer

if TYPE_CHECKING:
    import scipy.sparse as sp

UNITS = ("document", "sentence")


class UnknownUnitError(TextError):
    """Raised for a counting unit other than ``"document"`` or ``"sentence"``."""


@dataclass
class TokenizedCorpus:
    """Term counts per unit (document or sentence) over one vocabulary.

    ``counts`` is a CSR matrix units × vocabulary; ``unit_doc[i]`` is the document index of
    unit ``i``; ``pos[j]`` is the POS first seen for term ``j``.
    """

    docs: list[Doc]
    unit: str
    vocab: list[str]
    pos: list[str]
    counts: sp.csr_matrix
    unit_doc: Any  # numpy int array
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of documents."""
        return len(self.docs)

    @property
    def forced(self) -> list[bool]:
        """Whether each vocabulary term is a forced term."""
        return [p == FORCED_POS for p in self.pos]

    def doc_counts(self) -> sp.csr_matrix:
        """Term counts per document (sentence counts summed when the unit is a sentence)."""
        if self.unit == "document":
            return self.counts
        import numpy as np
        import scipy.sparse as sp

        n_units = self.counts.shape[0]
        agg = sp.csr_matrix((np.ones(n_units), (self.unit_doc, np.arange(n_units))), shape=(self.n, n_units))
        return (agg @ self.counts).tocsr()

    def incidence(self, level: str | None = None) -> sp.csr_matrix:
        """Binary unit × term matrix (1 where the term occurs in the unit)."""
        mat = self.counts if (level or self.unit) == self.unit else self.doc_counts()
        out = mat.copy()
        out.data[:] = 1
        return out


def _scan_units(args: tuple[Tokenizer, list[str], bool]) -> tuple[list[str], list[str], list[int]]:
    """Worker: scan a batch of unit texts; returns terms, POS and per-unit end offsets.

    The flag says whether the texts still need cleaning (documents) or are cut from cleaned
    documents already (sentences).
    """
    tokenizer, texts, clean = args
    terms: list[str] = []
    poses: list[str] = []
    ends: list[int] = []
    for text in texts:
        tokenizer.scan(text, terms, poses, clean=clean)
        ends.append(len(terms))
    return terms, poses, ends


def tokenize_corpus(
    docs: Iterable[Doc],
    tokenizer: Tokenizer | None = None,
    unit: str = "document",
    workers: int = 1,
) -> TokenizedCorpus:
    """Tokenize every document once and count its terms per ``unit``.

    ``workers > 1`` tokenizes batches of units in that many processes (each loads its own
    Sudachi dictionary, ~0.3 s), worth it from a few MB of text on a multi-core machine.
    Sentences are cut from the cleaned document (labels out, hard line breaks joined), so a
    sentence broken over two lines is one unit.
    """
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    if unit not in UNITS:
        raise UnknownUnitError("text.bad_choice", option="unit", value=str(unit), choices=", ".join(UNITS))
    tokenizer = tokenizer or Tokenizer()
    docs = list(docs)
    texts: list[str] = []
    unit_doc: list[int] = []
    for d_index, doc in enumerate(docs):
        if unit == "document":
            texts.append(doc.text)
            unit_doc.append(d_index)
        else:
            clean = tokenizer.clean(doc.text).text
            for s, e in split_sentences(clean):
                texts.append(clean[s:e])
                unit_doc.append(d_index)
    terms, poses, ends = _scan_all(tokenizer, texts, workers, clean=unit == "document")
    indptr = [0, *ends]
    # Vocabulary ids in one C-level pass (pandas' hash table) instead of a dict per term.
    codes, uniques = pd.factorize(pd.Series(terms, dtype=object), sort=False)
    first = np.unique(codes, return_index=True)[1] if len(codes) else np.array([], dtype=int)
    pos = [poses[i] for i in first]
    data = np.ones(len(codes), dtype=np.int64)
    counts = sp.csr_matrix(
        (data, codes.astype(np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(unit_doc), len(uniques)),
    )
    counts.sum_duplicates()
    return TokenizedCorpus(docs, unit, list(uniques), pos, counts, np.asarray(unit_doc))


def _scan_all(
    tokenizer: Tokenizer, texts: list[str], workers: int, clean: bool = True
) -> tuple[list[str], list[str], list[int]]:
    if workers <= 1 or len(texts) < 2 * workers:
        return _scan_units((tokenizer, texts, clean))
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(texts) // (workers * 4))
    batches = [(tokenizer, texts[i : i + size], clean) for i in range(0, len(texts), size)]
    terms: list[str] = []
    poses: list[str] = []
    ends: list[int] = []
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for t, p, e in pool.map(_scan_units, batches):
            base = len(terms)
            terms.extend(t)
            poses.extend(p)
            ends.extend(base + x for x in e)
    return terms, poses, ends


def as_tokenized(
    docs: Iterable[Doc] | TokenizedCorpus, tokenizer: Tokenizer | None, unit: str = "document"
) -> TokenizedCorpus:
    """Return ``docs`` if already tokenized at a usable unit, else tokenize it."""
    if isinstance(docs, TokenizedCorpus):
        if unit == docs.unit or unit == "document":
            return docs
        return tokenize_corpus(docs.docs, tokenizer, unit)
    return tokenize_corpus(docs, tokenizer, unit)
