"""Clean transcript text before it is tokenized: speaker labels, timestamps, hard line breaks, radicals.

Why: in a transcript the speaker labels (「Q:」「聞き手：」「佐藤（回答者）：」「【質問】」) are the
most frequent "words" and become the hubs of every co-occurrence network; timestamps
(``[00:12:34]``) add numbers; a word broken by a hard line break (地方自\\n治体) is counted as two;
and text extracted from PDF or Word often carries CJK radicals (⻑年) instead of ideographs.

Why an offset map instead of a cleaned copy: every position shown to the researcher (KWIC,
coded segments) must point into the text as stored, so :class:`CleanText` keeps the cleaned text
and, for each stretch copied from the original, where it came from. The cleaned text is built
only from stretches of the original (labels and line breaks left out) and 1 → 1 character
replacements (a radical by its ideograph, a line break between two Latin words by a space), so
mapping a position back is one binary search.

The label shapes are those ``chiiki.hearings.importing`` recognises as speaker turns (``_LABEL_RE``:
``【A】``, ``（鶴岡市）``, ``佐藤（鶴岡市役所）：``, ``A:`` / ``聞き手：``) — text sits below hearings and
cannot import it, so the patterns are repeated here — plus interviewer markers written without a
colon (``Q.``, ``問１　``). A plain ``名前：`` is stripped when it is a known marker, a single Latin
letter (with a number: ``A``, ``Q1``, the pseudonyms ``P1``), ends in an honorific, or starts at
least two lines of the document: a speaker speaks more than once, while a note such as
「目的：地域の活性化」 written once keeps its word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from chiiki.text.normalize import RADICALS_AND_KANGXI

# Markers of the interviewer and the interviewee (compared in NFKC, lower case).
KNOWN_MARKERS = frozenset(
    {
        "q",
        "a",
        "問",
        "答",
        "問い",
        "答え",
        "質問",
        "回答",
        "聞き手",
        "話し手",
        "質問者",
        "回答者",
        "インタビュアー",
        "インタビュイー",
        "司会",
        "司会者",
        "調査者",
        "対象者",
        "interviewer",
        "interviewee",
        "question",
        "answer",
    }
)
# Labels that mark something other than a speaker (as in hearings.importing._NOT_SPEAKERS).
NOT_SPEAKERS = frozenset({"サンプル", "sample", "注", "備考", "メモ", "http", "https", "出典"})
_HONORIFICS = ("さん", "氏", "様", "先生", "委員", "部長", "課長", "係長", "所長", "理事長", "教授")
_LATIN_LABEL = re.compile(r"[a-z][0-9]{0,3}")

_SPACE = "[ \\t\\u3000]*"
# One label at the start of what is left of a line; the groups say which shape it has.
_LABEL_RE = re.compile(
    _SPACE + "(?:"
    r"[【\[［〔](?P<b>[^】\]］〕\n]{1,30})[】\]］〕]"
    r"|[（(](?P<p>[^）)\n]{1,30})[）)]"
    r"|(?P<d>[^\s:：【】（()）。、「」]{1,20}[（(][^）)\n]{1,30}[）)])[:：]"
    r"|(?P<c>[^\s:：【】（()）。、「」]{1,20})[:：](?!//)"
    r"|(?P<m>[QqAaＱｑＡａ]|問い?|答え?|質問|回答|聞き手|インタビュアー|インタビュイー|司会者?)"
    r"[0-9０-９]{0,3}(?:[.．、,，)）]|[ \t\u3000]+)"
    ")" + _SPACE
)
# A timestamp: bracketed anywhere, bare only at the start of a line.
_DIGITS = "[0-9０-９]"
_TIME = f"{_DIGITS}{{1,2}}[:：]{_DIGITS}{{2}}(?:[:：]{_DIGITS}{{2}})?(?:[.,]{_DIGITS}+)?"
_BRACKETED_TIME_RE = re.compile(f"{_SPACE}[\\[［(（<〈]{_TIME}[\\]］)）>〉]{_SPACE}")
_BARE_TIME_RE = re.compile(f"{_SPACE}{_TIME}(?:[ \\t\\u3000]+|$)")
# A line ending with one of these ends its sentence; one starting with these starts an item.
TERMINALS = tuple("。！？!?」』）)】〕")
_ITEM_START = tuple("・●○◎■□◆◇▼▽▲△※*＊-－–—•①②③④⑤⑥⑦⑧⑨⑩#＃")
_ITEM_RE = re.compile(r"[0-9０-９]{1,3}[.．)）]|[（(][0-9０-９]{1,3}[)）]")


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned text and the map back to the original.

    ``starts[k]`` is where stretch ``k`` begins in ``text`` and ``origins[k]`` where it began in
    ``original``; inside a stretch the two advance together.
    """

    original: str
    text: str
    starts: tuple[int, ...] = (0,)
    origins: tuple[int, ...] = (0,)

    @property
    def changed(self) -> bool:
        return self.text is not self.original and self.text != self.original

    def position(self, pos: int, end: bool = False) -> int:
        """The original offset of a cleaned offset (``end``: of a span's end, which stays
        with the character before it rather than jumping over a removed label)."""
        if len(self.starts) == 1:
            return self.origins[0] + pos
        probe = pos - 1 if end and pos > 0 else pos
        k = bisect_right(self.starts, probe) - 1
        return self.origins[k] + (pos - self.starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the cleaned text to the original text."""
        if start >= end:
            pos = self.position(start)
            return pos, pos
        return self.position(start), self.position(end, end=True)


@dataclass(slots=True)
class _Line:
    start: int  # where the line starts in the original
    body: int  # where its text starts after labels and timestamps
    end: int  # where its text ends (trailing spaces left out)
    labelled: bool


def label_key(match: re.Match[str]) -> tuple[str, str]:
    """``(shape, NFKC lower-case label)`` of a label match."""
    for shape in ("b", "p", "d", "c", "m"):
        value = match.group(shape)
        if value is not None:
            return shape, unicodedata.normalize("NFKC", value).strip().lower()
    return "", ""


def _is_speaker(shape: str, label: str, repeated: bool, alone: bool) -> bool:
    """Whether a label at the start of a line names a speaker (and is stripped).

    ``alone``: nothing follows it on the line — then a bracketed word is a heading, not a label.
    """
    if label in NOT_SPEAKERS:
        return False
    if shape in ("m", "d") or label in KNOWN_MARKERS or _LATIN_LABEL.fullmatch(label):
        return True
    if alone and shape in ("b", "p"):
        return False
    return repeated or label.endswith(_HONORIFICS)


def _strip_start(line: str, pos: int, end: int, repeated: set[str]) -> tuple[int, bool]:
    """Skip the timestamps and speaker labels at ``line[pos:]``; ``(new pos, whether any)``."""
    found = False
    for _ in range(4):  # "[00:12:34] 聞き手：" is two; more would be a strange line
        m = _BRACKETED_TIME_RE.match(line, pos, end) or _BARE_TIME_RE.match(line, pos, end)
        if m:
            pos, found = m.end(), True
            continue
        m = _LABEL_RE.match(line, pos, end)
        if m is None:
            break
        shape, label = label_key(m)
        if not _is_speaker(shape, label, label in repeated, alone=m.end() >= end):
            break
        pos, found = m.end(), True
    return pos, found


def _repeated_labels(lines: list[str]) -> set[str]:
    """Labels that start at least two lines (a speaker speaks more than once)."""
    seen: dict[str, int] = {}
    for line in lines:
        pos = 0
        while m := _BRACKETED_TIME_RE.match(line, pos) or _BARE_TIME_RE.match(line, pos):
            pos = m.end()
        m = _LABEL_RE.match(line, pos)
        if m:
            _shape, label = label_key(m)
            seen[label] = seen.get(label, 0) + 1
    return {label for label, n in seen.items() if n >= 2}


def _lines(text: str) -> list[_Line]:
    raw = text.split("\n")
    repeated = _repeated_labels(raw)
    out: list[_Line] = []
    pos = 0
    for line in raw:
        end = len(line.rstrip())
        body, labelled = _strip_start(line, 0, end, repeated)
        while body < end and line[body] in " \t\u3000":
            body += 1
        out.append(_Line(pos, pos + body, pos + end, labelled))
        pos += len(line) + 1
    return out


def _joins(text: str, line: _Line, nxt: _Line) -> bool:
    """Whether ``line`` runs on into ``nxt`` (a hard break inside a sentence)."""
    if line.body >= line.end or nxt.body >= nxt.end or nxt.labelled:
        return False
    if text[line.end - 1] in TERMINALS or text[line.end - 1] in ":：":
        return False
    first = text[nxt.body]
    return not (first in _ITEM_START or _ITEM_RE.match(text, nxt.body))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def clean_text(text: str) -> CleanText:
    """Strip speaker labels and timestamps, join hard line breaks, map radicals to ideographs.

    A line that does not end with sentence-final punctuation (。！？」 …) runs on into the next
    non-blank line unless that one starts with a label or a list item; the break is dropped
    (Japanese) or becomes a space between two Latin letters or digits. Blank lines (paragraph
    breaks) and every other line break stay. Bracketed timestamps inside a line are removed too.
    """
    if not text:
        return CleanText(text, text)
    lines = _lines(text)
    starts: list[int] = []
    origins: list[int] = []
    out: list[str] = []
    size = 0

    def copy(a: int, b: int, replacement: str | None = None) -> None:
        nonlocal size
        if b <= a:
            return
        if not starts or origins[-1] + (size - starts[-1]) != a:  # a new stretch
            starts.append(size)
            origins.append(a)
        out.append(text[a:b] if replacement is None else replacement)
        size += b - a

    for i, line in enumerate(lines):
        _copy_line(text, line, copy)
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1]
        newline = nxt.start - 1  # the "\n" ending this line
        if _joins(text, line, nxt):
            if _latin(text[line.end - 1]) and _latin(text[nxt.body]):
                copy(newline, newline + 1, " ")
            continue
        copy(line.end, newline + 1)  # trailing spaces and the line break, as written
    cleaned = "".join(out).translate(RADICALS_AND_KANGXI)
    if cleaned == text:
        return CleanText(text, text)
    return CleanText(text, cleaned, tuple(starts) or (0,), tuple(origins) or (0,))


def _copy_line(text: str, line: _Line, copy: Callable[[int, int], None]) -> None:
    """Copy the text of one line, leaving out bracketed timestamps inside it."""
    pos = line.body
    for m in _BRACKETED_TIME_RE.finditer(text, line.body, line.end):
        copy(pos, m.start())
        pos = m.end()
    copy(pos, line.end)
