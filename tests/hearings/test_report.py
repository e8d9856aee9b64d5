"""The hearings chapter (shared with the main report) and the standalone text report."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from chiiki.hearings.qda import add_code, code_by_search
from chiiki.hearings.report import hearings_chapter_html, write_text_report
from chiiki.model.db import session_scope


def test_chapter_has_table1_topics_and_code_counts(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_code(s, "補助金")
        code_by_search(s, 2, "補助金", "補助金")
        html = hearings_chapter_html(s, figures=False)
        en = hearings_chapter_html(s, lang="en", figures=False)
    assert html.startswith("<section") and html.rstrip().endswith("</section>")
    assert "ヒアリング調査実施機関一覧" in html
    assert "（地独）神奈川県立総合産業技術研究所（KISTEC）" in html
    assert "2024-09" in html and "tsuruoka hub" in html
    assert "産業振興機関（財団）によるコーディネート人材・活動の実績" in html
    assert "<th>補助金</th>" in html
    assert "R5-588" in html
    assert "Organizations interviewed" in en and "coordinator staff" in en


def test_standalone_report_embeds_images(loaded: str, tmp_path: Path) -> None:
    with session_scope(loaded) as s:
        path = write_text_report(s, tmp_path / "text_report.html", lang="en")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="en"' in html
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 2  # network and CA map
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG")
    assert 'src="http' not in html  # nothing fetched from outside
