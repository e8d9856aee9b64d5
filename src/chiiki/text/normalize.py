"""NFKC normalization that remembers where each normalized character came from.

Why: forced terms (強制抽出) and coding rules compare text after NFKC so that half-width
katakana (ｲﾉﾍﾞｰｼｮﾝ) and full-width letters match their usual forms, but every position we
report (KWIC, token offsets) must point into the *original* text shown to the researcher.
NFKC can change the length (ﾍﾞ -> ベ, ㈱ -> (株)), so a plain index shift is not enough.

The comparison form is NFKC plus one table NFKC lacks: the CJK Radicals Supplement
(U+2E80–U+2EFF, e.g. ⻑ in ⻑年, common in text extracted from PDF and Word files) mapped to
the equivalent unified ideographs of the Unicode Character Database
(``resources/radicals_supplement.txt``). NFKC already maps the Kangxi Radicals (U+2F00–U+2FDF).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Characters that NFKC may fold into the preceding character (half-width and combining
# voiced sound marks); they must stay in the same chunk as their base character.
_JOINERS = {"\uff9e", "\uff9f", "\u3099", "\u309a"}


def _load_radicals() -> dict[int, str]:
    """``{radical code point: ideograph}`` from the UCD lines in ``radicals_supplement.txt``."""
    path = resources.files("chiiki.text").joinpath("resources").joinpath("radicals_supplement.txt")
    table: dict[int, str] = {}
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        source, _, target = (part.strip() for part in line.partition(";"))
        first, _, last = source.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[cp] = chr(int(target, 16))
    return table


# The Radicals Supplement table, and the Kangxi radicals (NFKC maps each to one ideograph):
# one ``str.translate`` table that keeps the length of the text (every entry is 1 → 1).
RADICALS: dict[int, str] = _load_radicals()
RADICALS_AND_KANGXI: dict[int, str] = RADICALS | {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in range(0x2F00, 0x2FE0)
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}
_RADICAL_RE = re.compile("[\u2e80-\u2eff]")


def unify_radicals(text: str) -> str:
    """Replace CJK radicals (Supplement and Kangxi) by their ideographs; the length is kept."""
    return text.translate(RADICALS_AND_KANGXI)


def nfkc(text: str) -> str:
    """Return the comparison form of ``text`` used everywhere in chiiki.text: NFKC, then the
    Radicals Supplement mapped to ideographs (⻑年 → 長年)."""
    out = unicodedata.normalize("NFKC", text)
    return out.translate(RADICALS) if _RADICAL_RE.search(out) else out


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """NFKC text plus a map back to the original text.

    ``pieces`` lists only the changed stretches as ``(norm_start, norm_end, orig_start,
    orig_end)``; elsewhere the two texts differ by a constant shift, so mapping a span is a
    binary search instead of a per-character table (this runs on every document).
    """

    original: str
    text: str
    pieces: tuple[tuple[int, int, int, int], ...] = ()

    def _map(self, pos: int, is_end: bool) -> int:
        if not self.pieces:
            return pos
        k = bisect_right(self._starts, pos if not is_end else pos - 1) - 1
        if k < 0:
            return pos
        ns, ne, os_, oe = self.pieces[k]
        if pos - (1 if is_end else 0) < ne:  # inside a changed piece: snap to its bounds
            return oe if is_end else os_
        return pos + (oe - ne)

    @property
    def _starts(self) -> list[int]:
        return [p[0] for p in self.pieces]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalized text back to the original text."""
        if not self.pieces:
            return start, end
        if start >= end:
            pos = self._map(start, False)
            return pos, pos
        return self._map(start, False), self._map(end, True)


@lru_cache(maxsize=1)
def _unstable_re() -> re.Pattern[str]:
    """Regex matching runs of characters that NFKC may change (built once, ~0.1 s).

    The caller adds the character before each run, because a combining or half-width voiced
    mark composes with its base (か + ゙ -> が) even when the base alone is stable.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if unicodedata.normalize("NFKC", ch) != ch or cp in RADICALS or unicodedata.combining(ch) or ch in _JOINERS:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{cls}]+")


def normalize_with_offsets(text: str) -> NormalizedText:
    """NFKC-normalize ``text`` keeping a map back to the original offsets.

    Only the runs of characters that NFKC can change are normalized, each cut into chunks
    that start at a non-combining character; a chunk's output maps to the chunk's original
    span. Text that is already NFKC (the common case) costs one C call.
    """
    if unicodedata.is_normalized("NFKC", text) and not _RADICAL_RE.search(text):
        return NormalizedText(text, text)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    npos = 0
    block_start = 0
    # Scanning for unstable characters is slow in Python; checking 。-delimited blocks with
    # the C-level is_normalized first leaves only the few changed sentences to scan.
    for block in text.split("。"):
        block_end = block_start + len(block)
        if unicodedata.is_normalized("NFKC", block) and not _RADICAL_RE.search(block):
            out.append(block)
            npos += len(block)
        else:
            npos = _normalize_block(text, block_start, block_end, npos, out, pieces)
        if block_end < len(text):
            out.append("。")
            npos += 1
        block_start = block_end + 1
    return NormalizedText(text, "".join(out), tuple(pieces))


def _normalize_block(
    text: str,
    start: int,
    end: int,
    npos: int,
    out: list[str],
    pieces: list[tuple[int, int, int, int]],
) -> int:
    """Normalize ``text[start:end]`` run by run; return the normalized position after it."""
    pos = start
    for m in _unstable_re().finditer(text, start, end):
        s, e = m.span()
        if s > pos:  # the base character a leading voiced/combining mark composes with
            s -= 1
        out.append(text[pos:s])
        npos += s - pos
        i = s
        while i < e:
            j = i + 1
            while j < e and (text[j] in _JOINERS or unicodedata.combining(text[j])):
                j += 1
            piece = nfkc(text[i:j])
            out.append(piece)
            if piece != text[i:j]:
                pieces.append((npos, npos + len(piece), i, j))
            npos += len(piece)
            i = j
        pos = e
    out.append(text[pos:end])
    return npos + (end - pos)
