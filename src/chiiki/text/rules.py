"""KH Coder-style coding rules (コーディングルール) applied to documents.

Rule file format (KH Coder's, plus a one-line form)::

    # comment
    *人材
    人材 | 人材育成 | コーディネーター
    *資金
    資金 & !研究費
    *連携: near(大学-企業) | seq(技術シーズ-事業化)[5]

Operators: ``|``/``or``, ``&``/``and``, ``!``/``not`` (precedence not > and > or),
parentheses, ``near(a-b)[N]`` (a and b within N tokens in either order, N = 10 by default, as
in KH Coder), ``seq(a-b)[N]`` (b after a within N tokens) and ``'文字列'`` (substring of the
NFKC text). A term matches a token's normalized form or its NFKC surface. Distances count
tokens other than punctuation and whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from chiiki.text.corpus import Doc, split_sentences
from chiiki.text.errors import TextError
from chiiki.text.normalize import nfkc
from chiiki.text.tokenize import Tokenizer
from chiiki.text.tokenized import UnknownUnitError

if TYPE_CHECKING:
    import pandas as pd

NEAR_DEFAULT = 10


class RuleSyntaxError(TextError):
    """A coding rule could not be parsed; the message names the code and the position."""


@dataclass
class Unit:
    """What a rule is evaluated on: one document or one sentence."""

    words: set[str]
    positions: dict[str, list[int]]
    text: str  # NFKC


Predicate = Callable[[Unit], bool]


@dataclass
class Code:
    """One code: its name, the rule as written, and the compiled predicate."""

    name: str
    rule: str
    predicate: Predicate = field(repr=False)
    terms: frozenset[str] = frozenset()


_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<near>(?:near|seq))\((?P<args>[^()]*)\)(?:\[(?P<n>\d+)\])?
      | (?P<op>[()|&!])
      | '(?P<sq>[^']*)' | "(?P<dq>[^"]*)"
      | (?P<word>[^\s()|&!'"]+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def _lex(rule: str, code: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    rule = rule.rstrip()
    while pos < len(rule):
        m = _TOKEN_RE.match(rule, pos)
        if m is None or m.end() == pos:
            raise RuleSyntaxError("text.rule_unreadable", name=code, position=pos, rest=rule[pos:][:40])
        pos = m.end()
        if m.group("near"):
            terms = [t.strip() for t in m.group("args").split("-") if t.strip()]
            if len(terms) < 2:
                raise RuleSyntaxError("text.rule_near_terms", name=code, operator=m.group("near"))
            n = int(m.group("n") or NEAR_DEFAULT)
            out.append((m.group("near").lower(), (tuple(terms), n)))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("sq") is not None or m.group("dq") is not None:
            out.append(("string", m.group("sq") if m.group("sq") is not None else m.group("dq")))
        else:
            word = m.group("word")
            low = word.lower()
            if low in ("or", "and", "not"):
                out.append(("op", {"or": "|", "and": "&", "not": "!"}[low]))
            else:
                out.append(("term", word))
    return out


class _Parser:
    """Recursive-descent parser producing predicates over a :class:`Unit`."""

    def __init__(self, tokens: list[tuple[str, object]], code: str) -> None:
        self.tokens, self.i, self.code = tokens, 0, code
        self.terms: set[str] = set()

    def _peek(self) -> tuple[str, object] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _error(self, code: str, **params: object) -> RuleSyntaxError:
        return RuleSyntaxError(code, name=self.code, token=self.i + 1, **params)

    def parse(self) -> Predicate:
        if not self.tokens:
            raise self._error("text.rule_empty")
        pred = self._or()
        if self._peek() is not None:
            raise self._error("text.rule_unexpected", value=str(self._peek()[1]))  # type: ignore[index]
        return pred

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._peek() == ("op", "|"):
            self.i += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda u: any(p(u) for p in parts))

    def _and(self) -> Predicate:
        parts = [self._not()]
        while self._peek() == ("op", "&"):
            self.i += 1
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else (lambda u: all(p(u) for p in parts))

    def _not(self) -> Predicate:
        if self._peek() == ("op", "!"):
            self.i += 1
            inner = self._not()
            return lambda u: not inner(u)
        return self._atom()

    def _atom(self) -> Predicate:
        tok = self._peek()
        if tok is None:
            raise self._error("text.rule_ends_early")
        kind, value = tok
        self.i += 1
        if tok == ("op", "("):
            inner = self._or()
            if self._peek() != ("op", ")"):
                raise self._error("text.rule_missing_paren")
            self.i += 1
            return inner
        if kind == "term":
            term = nfkc(str(value))
            self.terms.add(term)
            return lambda u: term in u.words
        if kind == "string":
            sub = nfkc(str(value))
            return lambda u: sub in u.text
        if kind in ("near", "seq"):
            raw_terms, n = cast(tuple[tuple[str, ...], int], value)
            terms = tuple(nfkc(t) for t in raw_terms)
            self.terms.update(terms)
            if kind == "near":
                return lambda u: _near(u, terms, n)
            return lambda u: _seq(u, terms, n)
        raise self._error("text.rule_unexpected", value=str(value))


def _near(u: Unit, terms: tuple[str, ...], n: int) -> bool:
    """Some occurrence of the first term has every other term within ``n`` tokens."""
    lists = [u.positions.get(t, []) for t in terms]
    if not all(lists):
        return False
    for anchor in lists[0]:
        if all(any(p != anchor and abs(p - anchor) <= n for p in ps) for ps in lists[1:]):
            return True
    return False


def _seq(u: Unit, terms: tuple[str, ...], n: int) -> bool:
    """The terms occur in this order, each within ``n`` tokens after the previous one."""
    lists = [u.positions.get(t, []) for t in terms]
    if not all(lists):
        return False
    frontier = set(lists[0])
    for ps in lists[1:]:
        frontier = {p for p in ps if any(0 < p - q <= n for q in frontier)}
        if not frontier:
            return False
    return True


def make_unit(text: str, tokenizer: Tokenizer, cleaned: bool = False) -> Unit:
    """Tokenize ``text`` once into what rules look at (words, positions, NFKC text).

    The text is cleaned first (speaker labels out, hard line breaks joined) unless ``cleaned``
    says it already is, so a '文字列' rule matches a phrase broken over two lines.
    """
    if not cleaned:
        text = tokenizer.clean(text).text
    words: set[str] = set()
    positions: dict[str, list[int]] = {}
    k = 0
    for tok in tokenizer.tokenize(text, clean=False):
        if tok.pos.startswith(("補助記号", "空白")) or not tok.surface.strip():
            continue
        forms = {tok.normalized, nfkc(tok.surface)}
        words |= forms
        for f in forms:
            positions.setdefault(f, []).append(k)
        k += 1
    return Unit(words, positions, nfkc(text))


class CodingRules:
    """An ordered set of codes parsed from KH Coder-style rule text."""

    def __init__(self, codes: list[Code]) -> None:
        self.codes = codes

    @property
    def names(self) -> list[str]:
        """Code names in file order."""
        return [c.name for c in self.codes]

    @classmethod
    def parse(cls, text: str) -> CodingRules:
        """Parse rule text (see module docstring); raises :class:`RuleSyntaxError`."""
        codes: list[Code] = []
        name: str | None = None
        body: list[str] = []

        def flush() -> None:
            if name is None:
                return
            rule = " ".join(body).strip()
            parser = _Parser(_lex(rule, name), name)
            codes.append(Code(name, rule, parser.parse(), frozenset(parser.terms)))

        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = nfkc(raw).strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("*"):
                flush()
                head, sep, rest = line[1:].partition(":")
                name, body = head.strip(), ([rest.strip()] if sep else [])
                if not name:
                    raise RuleSyntaxError("text.rule_empty_name", line=lineno)
                if name in {c.name for c in codes}:
                    raise RuleSyntaxError("text.rule_duplicate", line=lineno, name=name)
            elif name is None:
                raise RuleSyntaxError("text.rule_before_name", line=lineno)
            else:
                body.append(line)
        flush()
        return cls(codes)

    @classmethod
    def from_file(cls, path: str | Path) -> CodingRules:
        """Read a rule file: UTF-8 (BOM allowed) or CP932, as KH Coder users keep them."""
        data = Path(path).read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp932")
        return cls.parse(text)

    def evaluate(self, unit: Unit) -> dict[str, bool]:
        """Evaluate every code on one prepared unit."""
        return {c.name: bool(c.predicate(unit)) for c in self.codes}

    @property
    def terms(self) -> frozenset[str]:
        """Every word the rules mention (NFKC)."""
        return frozenset().union(*(c.terms for c in self.codes)) if self.codes else frozenset()

    def apply(
        self,
        docs: Iterable[Doc],
        tokenizer: Tokenizer | None = None,
        unit: str = "document",
        force_rule_terms: bool = True,
    ) -> pd.DataFrame:
        """Code every document (or sentence): a boolean DataFrame indexed by ``doc_id``.

        With ``unit="sentence"`` the index is (``doc_id``, ``sentence``) and sentence numbers
        start at 0. ``force_rule_terms`` adds the rules' own words to the forced terms, so a
        rule word that Sudachi would split (人材育成 → 人材|育成) still matches as written.
        """
        import pandas as pd

        tokenizer = tokenizer or Tokenizer()
        if force_rule_terms and self.terms:
            tokenizer = tokenizer.with_terms(sorted(self.terms))
        rows: list[dict[str, bool]] = []
        index: list[object] = []
        for doc in docs:
            if unit == "document":
                rows.append(self.evaluate(make_unit(doc.text, tokenizer)))
                index.append(doc.doc_id)
            elif unit == "sentence":
                clean = tokenizer.clean(doc.text).text
                for i, (s, e) in enumerate(split_sentences(clean)):
                    rows.append(self.evaluate(make_unit(clean[s:e], tokenizer, cleaned=True)))
                    index.append((doc.doc_id, i))
            else:
                raise UnknownUnitError("text.bad_choice", option="unit", value=str(unit), choices="document, sentence")
        if unit == "sentence":
            idx = pd.MultiIndex.from_tuples(index, names=["doc_id", "sentence"])
        else:
            idx = pd.Index(index, name="doc_id")
        return pd.DataFrame(rows, index=idx, columns=self.names, dtype=bool)
