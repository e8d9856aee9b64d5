"""Documents, corpora and Japanese sentence splitting with character offsets.

Why plain objects: the engine must work the same on an interview transcript read from a
file, on questionnaire free text from a spreadsheet and on rows from the database; the
database side converts its rows into :class:`Doc` and never the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chiiki.text.errors import TextError

# A sentence ends after 。！？!? (plus any closing brackets/quotes that follow) or at a newline.
_SENTENCE_RE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』）)】〕\"']*|\n|$)")
_TERMINAL = tuple("。！？!?」』）)】")


@dataclass(frozen=True, slots=True)
class Doc:
    """One document: an interview transcript, an answer to a free-text question, a comment."""

    doc_id: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document; ``start``/``end`` index into ``Doc.text``."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split Japanese text into sentence spans ``(start, end)`` into ``text``.

    Sentences end at 。！？ (full or half width, closing brackets kept with the sentence) or at
    a newline. Leading/trailing whitespace is trimmed from each span and empty spans dropped,
    so ``text[start:end]`` is exactly the sentence as written.
    """
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def unwrap_lines(text: str, min_line: int = 25) -> str:
    """Join lines that a PDF or word processor wrapped in the middle of a sentence.

    Why: text extracted from PDF reports breaks lines at a fixed width (地方自\\n治体), which
    splits words for the tokenizer and splits sentences at random. A line is joined to the
    next non-blank line (skipping at most one blank line, which PDF extraction often inserts)
    when it is at least ``min_line`` characters long and does not end with sentence-final
    punctuation. Short lines (headings) are kept as they are.
    """
    lines = text.split("\n")
    out: list[str] = []
    buf = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        buf = buf + line.strip() if buf else line.rstrip()
        stripped = line.strip()
        nxt = i + 1
        if nxt < len(lines) and not lines[nxt].strip():
            nxt += 1
        if len(stripped) >= min_line and not stripped.endswith(_TERMINAL) and nxt < len(lines) and lines[nxt].strip():
            i = nxt
            continue
        out.append(buf)
        buf = ""
        i += 1
    return "\n".join(out)


class UnknownSplitError(TextError):
    """Raised for a ``split`` option other than ``"none"`` or ``"paragraph"``."""


class Corpus(list[Doc]):
    """A list of :class:`Doc` with small helpers for loading and grouping."""

    @classmethod
    def from_texts(cls, texts: Iterable[str], prefix: str = "d") -> Corpus:
        """Build a corpus from plain strings, numbering them ``d1``, ``d2``, ..."""
        return cls(Doc(f"{prefix}{i}", t, {}) for i, t in enumerate(texts, start=1))

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        doc_id: str | None = None,
        meta: dict[str, str] | None = None,
        unwrap: bool = True,
        split: str = "none",
    ) -> Corpus:
        """Read a text file (UTF-8 with or without BOM, else CP932) as one or more documents.

        ``split="paragraph"`` makes one document per blank-line separated paragraph, which is
        how KH Coder treats H5/段落 units; ``"none"`` keeps the file as one document.
        """
        raw = Path(path).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp932")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if unwrap:
            text = unwrap_lines(text)
        base = doc_id or Path(path).stem
        meta = dict(meta or {})
        meta.setdefault("source", str(path))
        if split == "none":
            return cls([Doc(base, text, meta)])
        if split != "paragraph":
            raise UnknownSplitError("text.bad_choice", option="split", value=str(split), choices="none, paragraph")
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return cls(Doc(f"{base}#{i}", p, dict(meta)) for i, p in enumerate(paras, start=1))

    def sentences(self) -> Iterator[Sentence]:
        """Yield every sentence of every document, with offsets into its document."""
        for doc in self:
            for i, (s, e) in enumerate(split_sentences(doc.text)):
                yield Sentence(doc.doc_id, i, s, e, doc.text[s:e])

    def groups(self, variable: str) -> dict[str, list[Doc]]:
        """Group documents by a meta key (documents without it go under ``""``)."""
        out: dict[str, list[Doc]] = {}
        for doc in self:
            out.setdefault(doc.meta.get(variable, ""), []).append(doc)
        return out

    @property
    def n(self) -> int:
        """Number of documents."""
        return len(self)
