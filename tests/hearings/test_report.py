"""The hearings chapter (shared with the main report) and the standalone text report."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from chiiki import Settings, Workbench
from chiiki.i18n import translator
from chiiki.report.sections_hearings import render


def test_chapter_has_table1_topics_and_code_counts(loaded: str) -> None:
    wb = Workbench(Settings(db_url=loaded))
    wb.codebook_add("補助金")
    wb.apply_code(2, "補助金", search="補助金")
    chapter = wb.hearings_chapter(figures=False)
    json.dumps(chapter.to_dict(), allow_nan=False)
    html = render(chapter, translator("ja"))
    en = render(Workbench(Settings(db_url=loaded, lang="en")).hearings_chapter(figures=False), translator("en"))
    assert html.startswith("<section") and html.rstrip().endswith("</section>")
    assert "ヒアリング調査実施機関一覧" in html and "ヒアリング調査とテキスト分析" in html
    assert "（地独）神奈川県立総合産業技術研究所（KISTEC）" in html
    assert "2024-09" in html and "tsuruoka hub" in html
    assert "産業振興機関（財団）によるコーディネート人材・活動の実績" in html
    assert "<th>補助金</th>" in html  # the code heads its row
    assert "R5-588" in html
    assert "Organizations interviewed" in en and "coordinator staff" in en and "Kanagawa region" in en
    headings = re.findall(r"<(?:h[23]|th)>([^<]*)</(?:h[23]|th)>", en.split("<tbody>")[0])
    assert headings and all(h.isascii() for h in headings)  # English headings; data stays as written
    assert "Source: R5-588" in en
    no_heading = render(chapter, translator("ja"), heading=False)
    assert "<h2>" not in no_heading and "ヒアリング調査実施機関一覧" in no_heading


def test_chapter_data_holds_the_figures_and_the_renderer_reads_the_dict(loaded: str) -> None:
    wb = Workbench(Settings(db_url=loaded, lang="en"))
    chapter = wb.hearings_chapter(image_format="svg")
    kinds = [f.kind for f in chapter.figures]
    assert kinds == ["network", "ca"]
    assert all(f.format == "svg" and isinstance(f.data, str) and "<svg" in f.data for f in chapter.figures)
    assert all(f.labels for f in chapter.figures)
    data = json.loads(json.dumps(chapter.to_dict(), allow_nan=False))
    html = render(data, translator("en"))  # the JSON form renders the same
    assert html == render(chapter, translator("en"))
    assert html.count('src="data:image/svg+xml;base64,') == 2


def test_standalone_report_embeds_images(loaded: str, tmp_path: Path) -> None:
    wb = Workbench(Settings(db_url=loaded, lang="en"))
    done = wb.text_report(tmp_path / "text_report.html")
    assert done.paths == [tmp_path / "text_report.html"]
    html = (tmp_path / "text_report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="en"' in html
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 2  # network and CA map
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG")
    assert 'src="http' not in html  # nothing fetched from outside
