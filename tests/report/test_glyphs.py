"""The PDF font checks: tofu is caught before rendering, and the written PDF embeds IPAex."""

from __future__ import annotations

import io

import pytest

from chiiki.report.pdf import (
    FontNotEmbeddedError,
    GlyphCoverageError,
    check_embedded,
    check_glyphs,
    embedded_fonts,
    font_face_css,
    font_path,
    missing_glyphs,
    visible_text,
    write_pdf,
)


def _page(body: str, css: str | None = None) -> str:
    style = font_face_css() if css is None else css
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"


def test_font_file_ships_with_matplotlib_fontja() -> None:
    assert font_path().name == "ipaexg.ttf" and font_path().stat().st_size > 1_000_000


def test_japanese_report_text_is_covered() -> None:
    text = "地域イノベーション・エコシステム 後継事業 事後評価Ｓ （正の関連） 0.23–2.68 —"
    assert missing_glyphs(text) == []


def test_emoji_and_missing_math_sign_are_reported() -> None:
    """U+1F600 (emoji) and U+2265 (≥) are not in IPAex Gothic 00401's cmap."""
    with pytest.raises(GlyphCoverageError) as info:
        check_glyphs(_page("<p>後継事業 😀 n ≥ 10</p>"))
    assert info.value.missing == ["≥", "😀"]
    assert "U+1F600" in str(info.value)


def test_style_text_is_not_report_text() -> None:
    html = _page("<p>本文</p>", css="p::after { content: '😀'; }")
    assert "😀" not in visible_text(html)
    assert visible_text(html).strip() == "本文"


def test_written_pdf_embeds_ipaex(tmp_path) -> None:
    """Checked twice: our stream reader and pypdf's font dictionaries (FontFile2 = TrueType)."""
    pypdf = pytest.importorskip("pypdf")
    path = write_pdf(_page("<h1>調査報告書</h1><p>研究会資料</p>"), tmp_path / "t.pdf")
    data = path.read_bytes()
    assert any("IPAex" in name for name in embedded_fonts(data))
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()
            names.append(str(font["/BaseFont"]))
    assert names and all("IPAex" in n for n in names)


def test_pdf_without_ipaex_is_refused() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string="<p style=\"font-family: 'DejaVu Sans'\">abc</p>").write_pdf()
    with pytest.raises(FontNotEmbeddedError):
        check_embedded(pdf)
