"""The hearings chapter: Table-1-style overview, codes by hub, co-occurrence network, CA map.

``hearings_chapter_html`` returns an HTML fragment so the main report can include the very same
chapter; ``write_text_report`` wraps it in a standalone page (images as data URIs, no external
files, opens offline). Figures come from the analysis results; nothing is recomputed here.
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from chiiki.hearings.bundled import DEFAULT_GUIDE_KEY

SOURCE_NOTE = (
    "出典: R5-588「地域の自律的なイノベーション・エコシステム形成に向けた重要因子抽出に関する調査」"
    "（公益財団法人全日本科学技術協会）表1 ほか"
)
TEXT = {
    "ja": {
        "chapter": "ヒアリング調査とテキスト分析",
        "table1": "ヒアリング調査実施機関一覧",
        "region": "地域名",
        "orgs": "ヒアリング調査対象機関",
        "date": "実施年月",
        "hubs": "関連拠点",
        "docs": "文書数",
        "guide": "調査内容",
        "codes": "拠点別コード出現数（セグメント数）",
        "no_codes": "コード化されたセグメントはまだありません。",
        "network": "共起ネットワーク",
        "ca": "対応分析（語 × 地域）",
        "skipped": "作成できませんでした",
        "n_docs": "対象文書数",
        "samples": "【サンプル】文書を含みます。",
    },
    "en": {
        "chapter": "Hearing surveys and text analysis",
        "table1": "Organizations interviewed",
        "region": "Region",
        "orgs": "Organizations",
        "date": "Month",
        "hubs": "Related hubs",
        "docs": "Documents",
        "guide": "Interview topics",
        "codes": "Coded segments by hub",
        "no_codes": "No coded segments yet.",
        "network": "Co-occurrence network",
        "ca": "Correspondence analysis (terms × region)",
        "skipped": "not drawn",
        "n_docs": "Documents analysed",
        "samples": "Includes 【サンプル】 sample documents.",
    },
}
SOURCE_NOTE_EN = (
    "Source: R5-588 survey on key factors for autonomous regional innovation ecosystems, "
    "Japan Association for the Advancement of Research Cooperation (JAREC), Table 1 etc."
)


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return f'<img alt="{_esc(alt)}" src="data:{mime};base64,{data}" style="max-width:100%">'


def _table(df, index: bool = False) -> str:
    return df.to_html(index=index, escape=True, border=0, classes="chiiki-table", na_rep="")


def _overview(session: Session, t: dict[str, str], lang: str) -> str:
    from chiiki.hearings.records import list_hearings

    df = list_hearings(session, lang=lang).summary
    if df.empty:
        return ""
    view = df[["region", "organizations", "date", "hubs", "documents"]].rename(
        columns={
            "region": t["region"],
            "organizations": t["orgs"],
            "date": t["date"],
            "hubs": t["hubs"],
            "documents": t["docs"],
        }
    )
    return f"<h3>{_esc(t['table1'])}</h3>{_table(view)}"


def _guide(session: Session, t: dict[str, str], lang: str) -> str:
    from sqlalchemy import select

    from chiiki.model.hearings import InterviewGuide

    guide = session.scalar(select(InterviewGuide).where(InterviewGuide.key == DEFAULT_GUIDE_KEY))
    if guide is None:
        return ""
    items = "".join(f"<li>{_esc(q.text_en if lang == 'en' and q.text_en else q.text)}</li>" for q in guide.questions)
    return f"<h3>{_esc(t['guide'])}</h3><ol>{items}</ol>"


def _codes(session: Session, t: dict[str, str]) -> str:
    from chiiki.hearings.qda import code_matrix

    result = code_matrix(session, by="hub", count="segments")
    if result.n == 0:
        return f"<h3>{_esc(t['codes'])}</h3><p>{_esc(t['no_codes'])}</p>"
    notes = "".join(f"<p class='warning'>{_esc(w)}</p>" for w in result.warnings)
    return f"<h3>{_esc(t['codes'])}</h3>{_table(result.summary, index=True)}{notes}"


def _figures(docs: list, t: dict[str, str], lang: str, tmp: Path) -> str:
    from chiiki.text import Tokenizer, cooccurrence, correspondence

    tokenizer = Tokenizer()
    # Few documents (the report's summaries, a handful of transcripts): count co-occurrence
    # within sentences, otherwise every term of one document links to every other.
    unit = "sentence" if len(docs) < 20 else "document"
    min_df = 2
    parts = []
    try:
        net = cooccurrence(docs, tokenizer, unit=unit, top_n=60, min_df=min_df)
        if len(net.edges) == 0:
            raise ValueError("no edges")
        png = net.to_png(tmp / "network.png", lang=lang)
        parts.append(f"<h3>{_esc(t['network'])}</h3>{_img(png, t['network'])}")
    except Exception as exc:  # a figure that cannot be drawn must not sink the report
        parts.append(f"<h3>{_esc(t['network'])}</h3><p>{_esc(t['skipped'])}: {_esc(exc)}</p>")
    try:
        ca = correspondence(docs, tokenizer, variable="region", top_n=60, min_df=min_df)
        png = ca.biplot(tmp / "ca.png", lang=lang)
        parts.append(f"<h3>{_esc(t['ca'])}</h3>{_img(png, t['ca'])}")
    except Exception as exc:  # degenerate tables (one region only) are common in a selection
        parts.append(f"<h3>{_esc(t['ca'])}</h3><p>{_esc(t['skipped'])}: {_esc(exc)}</p>")
    return "".join(parts)


def chapter_title(lang: str = "ja") -> str:
    return TEXT.get(lang, TEXT["en"])["chapter"]


def hearings_chapter_html(
    session: Session,
    lang: str = "ja",
    docs: list | None = None,
    figures: bool = True,
    heading: bool = True,
    **selection,
) -> str:
    """The hearings chapter as an HTML fragment (``<section>``), Japanese or English.

    ``docs`` defaults to ``select_documents(session, **selection)``; ``figures=False`` skips
    the network and CA plots (they tokenize every document).
    """
    from chiiki.hearings.selection import select_documents

    t = TEXT.get(lang, TEXT["en"])
    if docs is None:
        docs = select_documents(session, **selection)
    title = f"<h2>{_esc(t['chapter'])}</h2>" if heading else ""
    parts = [f"<section class='chiiki-hearings'>{title}"]
    parts.append(_overview(session, t, lang))
    parts.append(_guide(session, t, lang))
    parts.append(_codes(session, t))
    parts.append(f"<p>{_esc(t['n_docs'])}: {len(docs)}</p>")
    if any(d.meta.get("is_sample") == "1" for d in docs):
        parts.append(f"<p class='warning'>{_esc(t['samples'])}</p>")
    if figures and docs:
        with tempfile.TemporaryDirectory() as tmp:
            parts.append(_figures(docs, t, lang, Path(tmp)))
    parts.append(f"<p class='source'>{_esc(SOURCE_NOTE if lang == 'ja' else SOURCE_NOTE_EN)}</p>")
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "IPAexGothic", "Noto Sans JP", sans-serif; margin: 2em auto; max-width: 60em; }}
table.chiiki-table {{ border-collapse: collapse; margin: 1em 0; }}
table.chiiki-table th, table.chiiki-table td {{ border: 1px solid #ccc; padding: .3em .6em; }}
.warning {{ color: #a60; }} .source {{ color: #666; font-size: .9em; }}
</style></head><body>
{body}
</body></html>
"""


def write_text_report(session: Session, path: str | Path = "text_report.html", lang: str = "ja", **selection) -> Path:
    """Write the standalone ``text_report.html`` (one file, images embedded)."""
    t = TEXT.get(lang, TEXT["en"])
    body = hearings_chapter_html(session, lang=lang, **selection)
    out = Path(path)
    out.write_text(PAGE.format(lang=lang, title=_esc(t["chapter"]), body=body), encoding="utf-8")
    return out
