"""Inter-coder agreement: Cohen's kappa and Krippendorff's alpha (nominal) for two coders.

Written out here (a few lines each) rather than taken from a package so the definitions are
visible next to the tests that pin them to the published worked examples:
- Cohen's kappa: κ = (p_o − p_e) / (1 − p_e), p_e from each coder's marginal proportions.
- Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
  coincidence matrix o_ck over pairable values, α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k,
  missing values allowed (units with fewer than two values are not pairable).

Units for coded text are either documents (code present/absent per document) or characters
(each character of a document is in or out of a coder's segments of the code), the usual
"character-unit overlap" of QDA tools.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import OptionError, one_of
from chiiki.hearings.results import Result
from chiiki.i18n import Message, msg
from chiiki.model.hearings import Code, CodedSegment, Document

MIN_UNITS = 10
UNITS = ("document", "segment")
ALL_CODES = "(all codes)"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels for the same units (NaN when p_e = 1)."""
    if len(a) != len(b):
        raise ValueError("both coders must label the same units")
    n = len(a)
    if n == 0:
        return math.nan
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if pe == 1:
        return math.nan
    return (po - pe) / (1 - pe)


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def krippendorff_alpha_nominal(reliability_data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha, nominal metric; rows are coders, columns units, None/NaN missing."""
    if not reliability_data:
        return math.nan
    n_units = len(reliability_data[0])
    if any(len(row) != n_units for row in reliability_data):
        raise ValueError("every coder row must have one value per unit")
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for u in range(n_units):
        values = [row[u] for row in reliability_data if not _is_missing(row[u])]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                coincidence[(c, k)] += pairs / (m - 1)
    n_c: dict[Hashable, float] = defaultdict(float)
    for (c, _k), v in coincidence.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return math.nan
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if expected == 0:
        return math.nan
    return 1 - (n - 1) * observed / expected


def _segments(session: Session, coder: str, include_samples: bool = False) -> list[CodedSegment]:
    """A coder's segments; those of sample documents only with ``include_samples``."""
    from chiiki.hearings.documents import real_documents_clause

    q = select(CodedSegment).where(CodedSegment.coder == coder)
    if not include_samples:
        q = q.join(Document, Document.id == CodedSegment.document_id).where(real_documents_clause())
    return list(session.scalars(q))


def coder_agreement(
    session: Session,
    coder1: str,
    coder2: str,
    unit: str = "document",
    codes: Sequence[str] | None = None,
    documents: Sequence[int] | None = None,
    include_samples: bool = False,
) -> Result:
    """Per-code agreement of two coders, plus a pooled row ``(all codes)``.

    The documents compared are those both coders coded (any code), unless ``documents`` is
    given: a document only one coder has seen would otherwise count as disagreement. Segments
    of sample documents are left out unless ``include_samples``.
    """
    import numpy as np
    import pandas as pd

    one_of(unit, UNITS, "unit")
    s1, s2 = _segments(session, coder1, include_samples), _segments(session, coder2, include_samples)
    for coder, segs in ((coder1, s1), (coder2, s2)):
        if not segs:
            raise OptionError("hearings.coder_has_no_segments", coder=coder)
    warnings: list[Message] = []
    if documents is None:
        docs = sorted({s.document_id for s in s1} & {s.document_id for s in s2})
        if not docs:
            docs = sorted({s.document_id for s in s1} | {s.document_id for s in s2})
            if docs:
                warnings.append(msg("hearings.coders_share_no_document", "warning"))
    else:
        docs = sorted(documents)
    if codes is None:
        code_ids = sorted({s.code_id for s in s1} | {s.code_id for s in s2})
    else:
        from chiiki.hearings.qda import get_code

        code_ids = [get_code(session, c).id for c in codes]
    names = {c.id: c.name for c in session.scalars(select(Code).where(Code.id.in_(code_ids)))}
    lengths = {d.id: len(d.text) for d in session.scalars(select(Document).where(Document.id.in_(docs)))}

    def vector(segs: list[CodedSegment], code_id: int) -> np.ndarray:
        if unit == "document":
            present = {s.document_id for s in segs if s.code_id == code_id}
            return np.array([d in present for d in docs], dtype=np.int8)
        parts = []
        for d in docs:
            v = np.zeros(lengths[d], dtype=np.int8)
            for s in segs:
                if s.code_id == code_id and s.document_id == d:
                    v[s.start : s.end] = 1
            parts.append(v)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int8)

    rows = []
    pooled1, pooled2 = [], []
    for cid in code_ids:
        v1, v2 = vector(s1, cid), vector(s2, cid)
        pooled1.append(v1)
        pooled2.append(v2)
        rows.append(_row(names.get(cid, str(cid)), v1, v2))
    if code_ids:
        rows.append(_row(ALL_CODES, np.concatenate(pooled1), np.concatenate(pooled2)))
    summary = pd.DataFrame(
        rows,
        columns=["code", "units", "coder1_yes", "coder2_yes", "agreement", "kappa", "alpha"],
    )
    n_units = len(docs) if unit == "document" else sum(lengths.values())
    if n_units < MIN_UNITS:
        warnings.append(msg(f"hearings.few_{unit}_units", "warning", n=n_units))
    for r in rows:
        if math.isnan(r["kappa"]):
            warnings.append(msg("hearings.kappa_undefined", "warning", name=r["code"]))
    return Result(
        summary=summary,
        warnings=warnings,
        n=n_units,
        extra={"unit": unit, "documents": docs, "coder1": coder1, "coder2": coder2},
    )


def _row(name: str, v1: Any, v2: Any) -> dict[str, Any]:
    a, b = v1.tolist(), v2.tolist()
    n = len(a)
    return {
        "code": name,
        "units": n,
        "coder1_yes": int(sum(a)),
        "coder2_yes": int(sum(b)),
        "agreement": (sum(x == y for x, y in zip(a, b, strict=True)) / n) if n else math.nan,
        "kappa": cohen_kappa(a, b),
        "alpha": krippendorff_alpha_nominal([a, b]),
    }
