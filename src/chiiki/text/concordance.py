"""Keyword in context (KWIC / コンコーダンス)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chiiki.text.corpus import Doc
from chiiki.text.errors import TextError
from chiiki.text.normalize import nfkc, normalize_with_offsets
from chiiki.text.tokenize import Tokenizer

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["doc_id", "left", "keyword", "right", "start", "end"]


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def kwic(
    docs: Iterable[Doc],
    term: str,
    tokenizer: Tokenizer | None = None,
    width: int = 20,
    match: str = "token",
) -> pd.DataFrame:
    """Concordance lines for ``term``: ``doc_id, left, keyword, right, start, end``.

    A token matches when its normalized form (or its NFKC surface) equals NFKC(``term``), so
    searching イノベーション also finds ｲﾉﾍﾞｰｼｮﾝ and ｲﾉﾍﾞｰｼｮﾝ is shown as written. Context is
    ``width`` characters of the original text on each side, newlines shown as spaces.
    ``match="substring"`` instead finds every occurrence of NFKC(``term``) in the NFKC text,
    also inside longer words and forced terms (イノベーション in 地域イノベーション).
    Both search the cleaned text (speaker labels out, a word broken by a line break joined,
    ⻑ read as 長) and show the original: offsets and context are those of ``doc.text``.
    """
    import pandas as pd

    if match not in ("token", "substring"):
        raise UnknownMatchError("text.bad_choice", option="match", value=str(match), choices="token, substring")
    tokenizer = tokenizer or Tokenizer()
    target = nfkc(term)
    rows = []
    for doc in docs:
        text = doc.text
        for start, end in _spans(text, target, tokenizer, match):
            rows.append(
                (
                    doc.doc_id,
                    _flat(text[max(0, start - width) : start]),
                    _flat(text[start:end]),
                    _flat(text[end : end + width]),
                    start,
                    end,
                )
            )
    return pd.DataFrame(rows, columns=COLUMNS)


class UnknownMatchError(TextError):
    """Raised for a KWIC match mode other than ``"token"`` or ``"substring"``."""


def _spans(text: str, target: str, tokenizer: Tokenizer, match: str) -> list[tuple[int, int]]:
    if match == "substring":
        if not target:
            return []
        cleaned = tokenizer.clean(text)
        norm = normalize_with_offsets(cleaned.text)
        out, i = [], norm.text.find(target)
        while i >= 0:
            out.append(cleaned.span(*norm.span(i, i + len(target))))
            i = norm.text.find(target, i + len(target))
        return out
    return [(t.start, t.end) for t in tokenizer.tokenize(text) if t.normalized == target or nfkc(t.surface) == target]
