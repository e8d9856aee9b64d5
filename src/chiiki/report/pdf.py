"""PDF output with WeasyPrint and the IPAex Gothic font shipped by matplotlib-fontja.

Why this font: it is installed with a Python wheel we already need for the charts, so the PDF
needs no system font and no root (DEPENDENCIES.md). Why the checks: without a CJK font the PDF
shows empty boxes ("tofu") silently, which a study group would only notice on paper. We
therefore refuse to write a report whose text has a character the font lacks, and verify that
the written PDF embeds the font.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from chiiki.i18n import msg
from chiiki.ingest.atomic import write_bytes

FONT_FAMILY = "IPAexGothic"


class GlyphCoverageError(Exception):
    """The report text has characters that the IPAex Gothic font cannot draw (tofu)."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in missing[:40])
        super().__init__(f"{len(missing)} character(s) not in {FONT_FAMILY}: {shown}")
        self.message = msg("report.glyphs_missing", "error", n=len(missing), chars=shown)


class FontNotEmbeddedError(Exception):
    """The written PDF does not embed the IPAex Gothic font."""

    def __init__(self, fonts: list[str]):
        super().__init__(f"IPAex font not embedded; fonts found: {fonts}")
        self.message = msg("report.font_not_embedded", "error", fonts=", ".join(fonts) or "-")


def font_path() -> Path:
    import matplotlib_fontja

    return Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"


def font_face_css() -> str:
    """@font-face rule loading the wheel's font file, first in every element's font list.

    The fallbacks only serve a browser on another machine (where the file:// URL is absent);
    WeasyPrint never reaches them because :func:`check_glyphs` guarantees IPAex covers the text.
    """
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; "
        f"src: url('{font_path().as_uri()}'); }}\n"
        f"* {{ font-family: '{FONT_FAMILY}', 'Hiragino Sans', 'Yu Gothic', "
        f"'Noto Sans CJK JP', sans-serif; }}\n"
    )


def browser_font_css(html: str) -> str:
    """The font rule of the stand-alone report.html: IPAex Gothic carried inside the file.

    Why embedded, and as a subset: the file must show Japanese on a machine with no CJK font,
    opened from any folder or an e-mail attachment, so no path of this machine and no file
    beside it; the whole font would add 5.5 MB of base64, the glyphs the report uses ~190 kB.
    The IPA Font License lets a document carry the font (or the part of it the document uses),
    as the PDF does. The reader's own Japanese fonts remain the fallbacks.
    """
    import base64

    data = base64.b64encode(font_subset(frozenset(visible_text(html)))).decode("ascii")
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; "
        f"src: url('data:font/ttf;base64,{data}') format('truetype'); }}\n"
        f"* {{ font-family: '{FONT_FAMILY}', 'Hiragino Sans', 'Yu Gothic', 'Noto Sans CJK JP', "
        "'Noto Sans JP', sans-serif; }\n"
    )


@lru_cache(maxsize=4)
def font_subset(chars: frozenset[str]) -> bytes:
    """IPAex Gothic cut down to ``chars`` and printable ASCII (TrueType bytes, names kept).

    fontTools' subsetter (the library PDF tools use for the same job) with its default layout
    features: vertical forms and kerning of the kept glyphs survive; hinting is dropped (screens
    ignore it for CJK and it is a third of the size).
    """
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    keep = {ord(c) for c in chars if not c.isspace()} | set(range(0x20, 0x7F)) | {0x3000}
    font = TTFont(str(font_path()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


@lru_cache(maxsize=1)
def font_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())


def visible_text(html: str) -> str:
    """The text a reader sees: the document without <style>, <script> and tag markup."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for bad in root.xpath("//style|//script"):
        bad.drop_tree()
    return root.text_content()


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` (whitespace and controls aside) absent from the font's cmap."""
    cmap = font_codepoints()
    missing = {
        ch
        for ch in set(text)
        if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") and ord(ch) not in cmap
    }
    return sorted(missing)


def check_glyphs(html: str) -> None:
    missing = missing_glyphs(visible_text(html))
    if missing:
        raise GlyphCoverageError(missing)


_STREAM_RE = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BASEFONT_RE = re.compile(rb"/BaseFont\s*/([A-Za-z0-9+\-_.]+)")


def embedded_fonts(pdf: bytes) -> set[str]:
    """BaseFont names of fonts with an embedded font file, read from raw and Flate streams.

    A small reader instead of a PDF library: WeasyPrint packs font dictionaries into
    compressed object streams, and this check must run without a test-only dependency.
    """
    chunks = [pdf]
    for match in _STREAM_RE.finditer(pdf):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    text = b"\n".join(c for c in chunks if b"/BaseFont" in c or b"/FontFile" in c)
    if b"/FontFile" not in text:
        return set()
    return {m.group(1).decode("ascii") for m in _BASEFONT_RE.finditer(text)}


def check_embedded(pdf: bytes) -> None:
    names = embedded_fonts(pdf)
    if not any("IPAex" in name for name in names):
        raise FontNotEmbeddedError(sorted(names))


def write_pdf(html: str, path: Path, base_url: str | None = None) -> Path:
    """Check glyphs, render with WeasyPrint, check the font is embedded, write ``path``."""
    check_glyphs(html)
    import weasyprint

    pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    check_embedded(pdf)
    write_bytes(path, pdf)  # whole or not at all: a full disk leaves the previous PDF
    return path
