"""Stop words: the built-in list, a researcher's own file, and the rule no list can hold.

Why a module: the list a frequency table or network was made with must be stated with it (how
many words, from where), and researchers edit it between runs (KH Coder's 使用しない語). The
built-in list is ``resources/stopwords_ja.txt`` (its header says where it comes from); a user
file has the same format — one word per line, ``#`` comments, UTF-8 (BOM allowed) or CP932 — and
either adds to the built-in list or replaces it. Whatever the list, single Latin letters (the
``q``/``a`` of interview notes, ``Ｑ``) and tokens of digits only are never terms (:func:`is_rule_stopword`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chiiki.i18n import Message, msg
from chiiki.text.errors import TextError
from chiiki.text.normalize import nfkc

BUILTIN_FILE = "stopwords_ja.txt"
MODES = ("add", "replace")
# Digits with the separators numbers are written with (1,000 / 3.5 / 12:30 / 2024-09).
_NUMBER_RE = re.compile(r"[0-9]+(?:[.,:/\-][0-9]+)*")


class StopwordFileError(TextError):
    """A stop-word file that is missing or cannot be read, or a mode that does not exist."""


def parse_stopwords(lines: Iterable[str]) -> tuple[str, ...]:
    """The words of stop-word lines (NFKC, stripped), blank lines and ``#`` comments left out."""
    words = (nfkc(line).strip() for line in lines)
    return tuple(dict.fromkeys(w for w in words if w and not w.startswith("#")))


def builtin_stopwords() -> tuple[str, ...]:
    """The built-in list (``resources/stopwords_ja.txt``)."""
    path = resources.files("chiiki.text").joinpath("resources").joinpath(BUILTIN_FILE)
    return parse_stopwords(path.read_text("utf-8").splitlines())


def read_stopword_file(path: str | Path) -> tuple[str, ...]:
    """A user's stop-word file: UTF-8 (BOM allowed) or CP932, one word per line."""
    p = Path(path)
    if not p.is_file():
        raise StopwordFileError("text.stopwords_missing", file=str(p))
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            raise StopwordFileError("text.stopwords_unreadable", file=str(p)) from None
    return parse_stopwords(text.splitlines())


def is_rule_stopword(word: str) -> bool:
    """Whether a term is left out by rule: one Latin letter, or digits only (NFKC compared)."""
    w = nfkc(word)
    if len(w) == 1:
        return w.isascii() and w.isalpha()
    return bool(_NUMBER_RE.fullmatch(w))


@dataclass(frozen=True)
class StopWords:
    """The stop-word list used for an analysis and where it came from (for the results)."""

    words: frozenset[str]
    file: str | None = None
    mode: str = "add"

    @property
    def message(self) -> Message:
        """What results say about the list: how many words, from where."""
        n = len(self.words)
        if self.file is None:
            return msg("text.stopwords_builtin", "info", n=n)
        if self.mode == "replace":
            return msg("text.stopwords_replaced", "info", n=n, file=self.file)
        return msg("text.stopwords_added", "info", n=n, file=self.file)


def stopwords(file: str | Path | None = None, mode: str = "add") -> StopWords:
    """The built-in list, or the built-in list plus ``file`` (``add``), or ``file`` alone (``replace``)."""
    if mode not in MODES:
        raise StopwordFileError("text.bad_choice", option="stopwords-mode", value=str(mode), choices=", ".join(MODES))
    builtin = builtin_stopwords()
    if file is None:
        return StopWords(frozenset(builtin))
    own = read_stopword_file(file)
    words = own if mode == "replace" else builtin + own
    return StopWords(frozenset(words), str(file), mode)
