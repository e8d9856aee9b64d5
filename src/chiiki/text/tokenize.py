"""Sudachi tokenization with KH Coder-style forced extraction (強制抽出) of domain terms.

Why forced extraction instead of a Sudachi user dictionary: a user dictionary must be
compiled with the same system dictionary version and changes how neighbouring words are
split; researchers also edit their term list between runs. Matching the list on the NFKC
text after tokenizing is predictable, needs no build step, and offsets stay in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from sys import intern
from typing import Any

from chiiki.text.clean import CleanText, clean_text
from chiiki.text.normalize import nfkc, normalize_with_offsets
from chiiki.text.stopwords import builtin_stopwords, is_rule_stopword

FORCED_POS = "名詞-強制抽出"
_NEVER = 1 << 62  # a position after any text
# Sudachi refuses inputs above ~49 kB; 8,000 characters is < 32 kB even at 4 bytes each.
MAX_CHUNK = 8000

# Content words, as POS prefixes of Sudachi's (UniDic-style) POS joined with "-".
# UniDic has no 名詞-非自立/代名詞 under 名詞 (代名詞 is a top-level POS) and puts numbers under
# 名詞-数詞, so keeping 普通名詞/固有名詞 excludes what KH Coder's IPADIC setting excludes.
DEFAULT_POS_KEEP: frozenset[str] = frozenset(
    {"名詞-普通名詞", "名詞-固有名詞", "動詞-一般", "形容詞-一般", "形状詞-一般", FORCED_POS}
)


def _read_resource(name: str) -> tuple[str, ...]:
    text = resources.files("chiiki.text").joinpath("resources").joinpath(name).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


DEFAULT_TERMS: tuple[str, ...] = _read_resource("terms_ja.txt")
DEFAULT_STOPWORDS: frozenset[str] = frozenset(builtin_stopwords())


@dataclass(frozen=True, slots=True)
class Token:
    """One token. ``start``/``end`` index the original text (before NFKC)."""

    surface: str
    normalized: str
    dictionary_form: str
    pos: str
    start: int
    end: int
    forced: bool = False


def parse_terms(lines: Iterable[str]) -> dict[str, str]:
    """Parse forced-term lines into ``{NFKC variant: NFKC canonical}``.

    A line is ``term`` or ``variant => canonical``; blank lines and ``#`` comments are ignored.
    """
    out: dict[str, str] = {}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        variant, _, canonical = line.partition("=>")
        variant, canonical = nfkc(variant.strip()), nfkc((canonical or variant).strip())
        if variant:
            out[variant] = canonical
    return out


def load_terms(path: str) -> tuple[str, ...]:
    """Read a forced-term file (UTF-8, one term per line) for ``Tokenizer(user_terms=...)``."""
    with open(path, encoding="utf-8-sig") as fh:
        return tuple(fh.read().splitlines())


# Word-info fields to load (None = all). Loading a subset is Sudachi's documented speed-up,
# but measured here it gained < 5 % and a second dictionary object next to a plain one (as in
# the benchmark, or another library in the same process) costs more in CPU caches.
FIELDS: frozenset[str] | None = None


def sudachi_tokenizer(mode: str = "C", fields: frozenset[str] | None = None) -> Any:
    """Return ``(tokenizer, dictionary)`` for a split mode, created once per process.

    Why one helper: sudachipy 0.7 deprecates ``Dictionary().create()`` in favour of
    ``Dictionary().tokenizer()``; loading the dictionary costs ~0.2 s, so one dictionary is
    shared by every tokenizer. ``fields`` restricts the word-info fields loaded. A Sudachi
    tokenizer must not be used from two threads at once.
    """
    return _cached_tokenizer(mode.upper(), frozenset(fields) if fields else None)


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary()


@lru_cache(maxsize=8)
def _cached_tokenizer(mode: str, fields: frozenset[str] | None) -> Any:
    from sudachipy import SplitMode

    split = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[mode]
    dictionary = _dictionary()
    if hasattr(dictionary, "tokenizer"):
        tok = dictionary.tokenizer(mode=split, fields=set(fields) if fields else None)
    else:  # sudachipy < 0.6.8
        tok = dictionary.create(mode=split)
    return tok, dictionary


def _pos_string(pos: tuple[str, ...]) -> str:
    return "-".join(p for p in pos[:4] if p and p != "*")


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Cut long text into Sudachi-sized pieces at newlines or 。 (offset, piece)."""
    start, n = 0, len(text)
    while n - start > MAX_CHUNK:
        limit = start + MAX_CHUNK
        cut = max(text.rfind("\n", start, limit), text.rfind("。", start, limit))
        cut = cut + 1 if cut > start else limit
        yield start, text[start:cut]
        start = cut
    if start < n:
        yield start, text[start:]


class Tokenizer:
    """Japanese tokenizer: SudachiPy (mode C, normalized forms) plus forced terms.

    ``tokenize`` returns every token (forced terms merged); ``terms`` returns the normalized
    forms of content words (``pos_keep`` prefixes, forced terms always) minus ``stopwords``
    and minus single Latin letters and digit-only tokens (a rule, whatever the list).
    ``pos_keep={"*"}`` keeps every POS.

    With ``clean`` (the default) the text is first cleaned by :func:`chiiki.text.clean.clean_text`
    (speaker labels and timestamps out, hard line breaks joined, radicals unified); offsets of
    tokens still point into the text as given.
    """

    def __init__(
        self,
        mode: str = "C",
        user_terms: Iterable[str] = DEFAULT_TERMS,
        pos_keep: set[str] | frozenset[str] | None = None,
        stopwords: set[str] | frozenset[str] | None = DEFAULT_STOPWORDS,
        clean: bool = True,
    ) -> None:
        self.mode = mode.upper()
        self.clean_input = clean
        self._dropped: dict[str, bool] = {}  # normalized form → whether it is a stop word
        self.forced_terms = parse_terms(user_terms)
        keep = DEFAULT_POS_KEEP if pos_keep is None else frozenset(pos_keep)
        self.pos_keep = keep | {FORCED_POS}
        self.stopwords = frozenset(nfkc(w) for w in (stopwords or ()))
        variants = sorted(self.forced_terms, key=lambda t: (-len(t), t))
        self._forced_re = re.compile("|".join(map(re.escape, variants))) if variants else None
        self._sudachi: Any = None
        self._out: Any = None  # MorphemeList reused by scan() (Sudachi's out= parameter)
        self._pos_names: list[str] = []
        self._keep_pid: list[bool] = []

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the Sudachi objects (worker processes load their own)."""
        state = self.__dict__.copy()
        state.update(_sudachi=None, _out=None, _pos_names=[], _keep_pid=[])
        return state

    def with_terms(self, extra: Iterable[str]) -> Tokenizer:
        """A tokenizer like this one with more forced terms (shares the Sudachi object)."""
        lines = [f"{v} => {c}" for v, c in self.forced_terms.items()] + list(extra)
        clone = Tokenizer(self.mode, lines, self.pos_keep, self.stopwords, self.clean_input)
        return clone

    def with_stopwords(self, words: Iterable[str]) -> Tokenizer:
        """A tokenizer like this one with another stop-word list (shares the Sudachi object)."""
        lines = [f"{v} => {c}" for v, c in self.forced_terms.items()]
        return Tokenizer(self.mode, lines, self.pos_keep, frozenset(words), self.clean_input)

    def clean(self, text: str) -> CleanText:
        """The text as it is tokenized (cleaned unless ``clean=False``), with its offset map."""
        return clean_text(text) if self.clean_input else CleanText(text, text)

    def is_stopword(self, normalized: str) -> bool:
        """Whether a normalized form is left out: on the list, one Latin letter, or digits only."""
        dropped = self._dropped.get(normalized)
        if dropped is None:
            dropped = normalized in self.stopwords or is_rule_stopword(normalized)
            self._dropped[normalized] = dropped
        return dropped

    # -- set-up -------------------------------------------------------------------------
    def _ensure(self) -> Any:
        if self._sudachi is None:
            self._sudachi, dictionary = sudachi_tokenizer(self.mode, FIELDS)
            names: list[str] = []
            pid = 0
            while (pos := dictionary.pos_of(pid)) is not None:
                names.append(_pos_string(pos))
                pid += 1
            self._pos_names = names
            self._keep_pid = [self.keeps_pos(name) for name in names]
            self.stopwords = self._with_normalized(self.stopwords)
            self._dropped = {}
        return self._sudachi

    def _with_normalized(self, words: frozenset[str]) -> frozenset[str]:
        """Add Sudachi's normalized form of each one-morpheme stopword (ため → 為)."""
        extra = set()
        for w in words:
            ms = self._sudachi.tokenize(w)
            if len(ms) == 1:
                extra.add(ms[0].normalized_form())
        return words | extra

    def keeps_pos(self, pos: str) -> bool:
        """Whether a POS string (``名詞-普通名詞-一般``) is a content word for ``terms``."""
        if "*" in self.pos_keep:
            return True
        return any(pos == p or pos.startswith(p + "-") for p in self.pos_keep)

    def is_term(self, token: Token) -> bool:
        """Whether ``token`` counts as a term (kept POS and not a stopword)."""
        return token.forced or (self.keeps_pos(token.pos) and not self.is_stopword(token.normalized))

    # -- forced terms -------------------------------------------------------------------
    def forced_matches(self, text: str) -> list[tuple[int, int, str]]:
        """Forced-term matches as ``(start, end, canonical)`` in original-text offsets.

        Matching is leftmost-longest on the NFKC text, so ｲﾉﾍﾞｰｼｮﾝ・ｴｺｼｽﾃﾑ matches
        イノベーション・エコシステム and the span covers the half-width original.
        """
        if self._forced_re is None:
            return []
        norm = normalize_with_offsets(text)
        out = []
        for m in self._forced_re.finditer(norm.text):
            s, e = norm.span(m.start(), m.end())
            out.append((s, e, self.forced_terms[m.group()]))
        return out

    # -- tokenization -------------------------------------------------------------------
    def _morphemes(self, text: str) -> list[Any]:
        sudachi = self._ensure()
        out: list[Any] = []
        for offset, piece in _chunks(text):
            ml = sudachi.tokenize(piece)  # not reused: tokenize() keeps the morphemes
            out.extend((offset, m) for m in ml)
        return out

    def _token(self, offset: int, m: Any) -> Token:
        return Token(
            m.surface(),
            m.normalized_form(),
            m.dictionary_form(),
            self._pos_names[m.part_of_speech_id()],
            m.begin() + offset,
            m.end() + offset,
            False,
        )

    def _split_a(self, offset: int, m: Any) -> list[Token]:
        from sudachipy import SplitMode

        parts = list(m.split(SplitMode.A))
        if len(parts) <= 1:
            return [self._token(offset, m)]
        return [self._token(offset, p) for p in parts]

    def tokenize(self, text: str, clean: bool = True) -> list[Token]:
        """All tokens of ``text`` in order, forced terms merged into one token each.

        A forced match replaces the tokens it overlaps only when its ends fall on token
        boundaries (checked again on Sudachi's finer mode-A split of a boundary token), so
        公設試 is extracted from 公設試の but not from 公設試験 (a different word).
        The cleaned text is tokenized (``clean=False``: ``text`` is already clean); ``start``,
        ``end`` and ``surface`` refer to ``text`` as given (a joined word's surface keeps its
        line break, a radical stays as written).
        """
        cleaned = self.clean(text) if clean else CleanText(text, text)
        if not cleaned.changed:
            return self._tokenize_clean(text)
        out = []
        for t in self._tokenize_clean(cleaned.text):
            s, e = cleaned.span(t.start, t.end)
            out.append(Token(text[s:e], t.normalized, t.dictionary_form, t.pos, s, e, t.forced))
        return out

    def _tokenize_clean(self, text: str) -> list[Token]:
        morphs = self._morphemes(text)
        raw = [self._token(o, m) for o, m in morphs]
        matches = self.forced_matches(text)
        if not matches:
            return raw
        out: list[Token] = []
        i = 0
        for s, e, canon in matches:
            while i < len(raw) and raw[i].end <= s:
                out.append(raw[i])
                i += 1
            j = i
            while j < len(raw) and raw[j].start < e:
                j += 1
            if j == i:
                continue
            pre: list[Token] = []
            post: list[Token] = []
            if raw[i].start < s or raw[j - 1].end > e:
                first = self._split_a(*morphs[i]) if raw[i].start < s else [raw[i]]
                last = self._split_a(*morphs[j - 1]) if raw[j - 1].end > e else [raw[j - 1]]
                if not any(t.start == s for t in first) or not any(t.end == e for t in last):
                    continue
                pre = [t for t in first if t.end <= s]
                post = [t for t in last if t.start >= e]
            out.extend(pre)
            out.append(Token(text[s:e], canon, canon, FORCED_POS, s, e, True))
            out.extend(post)
            i = j
        out.extend(raw[i:])
        return out

    def term_pairs(self, text: str) -> list[tuple[str, str]]:
        """``(normalized, pos)`` of the terms of ``text`` (forced terms included)."""
        terms: list[str] = []
        poses: list[str] = []
        self.scan(text, terms, poses)
        return list(zip(terms, poses, strict=True))

    def scan(self, text: str, terms: list[str], poses: list[str], clean: bool = True) -> None:
        """Append the terms of ``text`` and their POS to two lists: the hot path.

        Touches only the POS id (and end offset when forced terms occur) of each morpheme
        and the normalized form of kept ones, creating no :class:`Token` objects; appending
        to caller-owned lists lets a corpus be collected without a per-term Python loop, and
        interning keeps one string per distinct term instead of one per occurrence.
        Falls back to :meth:`tokenize` only when a forced match cuts through a token.
        ``clean=False``: ``text`` is already clean (a sentence cut from a cleaned document).
        """
        sudachi = self._ensure()
        if clean and self.clean_input:
            text = clean_text(text).text
        keep, names, dropped, is_stop = self._keep_pid, self._pos_names, self._dropped, self.is_stopword
        matches = self.forced_matches(text)
        add_term, add_pos = terms.append, poses.append
        if not matches:
            for _, piece in _chunks(text):
                self._out = ml = sudachi.tokenize(piece, out=self._out)
                for m in ml:
                    pid = m.part_of_speech_id()
                    if keep[pid]:
                        nf = m.normalized_form()
                        stop = dropped.get(nf)
                        if stop is None:
                            stop = is_stop(nf)
                        if not stop:
                            add_term(intern(nf))
                            add_pos(names[pid])
            return
        # One pass: morphemes before the next match are handled as usual; those inside it
        # are skipped and the forced term emitted at the match end. A match whose ends are
        # not token boundaries sends the text down the slow path (mode-A refinement).
        mark = len(terms)
        k, n_matches = 0, len(matches)
        ms, me, canon = matches[0]
        for offset, piece in _chunks(text):
            self._out = ml = sudachi.tokenize(piece, out=self._out)
            # Offsets relative to this piece, so the common case is one comparison.
            ms_, me_ = ms - offset, me - offset
            for m in ml:
                e = m.end()
                if e <= ms_:  # before the next match: an ordinary morpheme
                    pid = m.part_of_speech_id()
                    if keep[pid]:
                        nf = m.normalized_form()
                        stop = dropped.get(nf)
                        if stop is None:
                            stop = is_stop(nf)
                        if not stop:
                            add_term(intern(nf))
                            add_pos(names[pid])
                    continue
                if m.begin() < ms_ or e > me_:  # a match boundary cuts this morpheme
                    return self._slow_scan(text, terms, poses, mark)
                if e == me_:
                    add_term(canon)
                    add_pos(FORCED_POS)
                    k += 1
                    ms, me, canon = matches[k] if k < n_matches else (_NEVER, _NEVER, "")
                    ms_, me_ = ms - offset, me - offset

    def _slow_scan(self, text: str, terms: list[str], poses: list[str], mark: int) -> None:
        del terms[mark:], poses[mark:]
        for t in self.tokenize(text, clean=False):
            if self.is_term(t):
                terms.append(t.normalized)
                poses.append(t.pos)

    def terms(self, text: str) -> list[str]:
        """Normalized forms of the content words of ``text`` (forced terms included)."""
        terms: list[str] = []
        self.scan(text, terms, [])
        return terms
