"""The hearings chapter as HTML: Table-1-style overview, interview topics, codes by hub, the
co-occurrence network and the CA map.

It renders what ``Workbench.hearings_chapter()`` returns and computes nothing: the personal-data
rule has been applied there (withheld documents, masked names), so nothing here can leak.
:func:`render` reads the chapter's ``to_dict()`` form only — the same JSON the web app gets — so
this module needs neither the workbench nor the database. Images are inline data URIs: the
chapter opens offline and goes into the PDF as it is. Every heading is an English msgid
translated with the reader's :class:`~chiiki.i18n.Translator`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from chiiki.i18n import N_, Translator

TITLE = N_("Hearing surveys and text analysis")
TABLE1 = N_("Organizations interviewed")
GUIDE = N_("Interview topics")
CODES = N_("Coded segments by hub")
NO_CODES = N_("No coded segments yet.")
N_DOCS = N_("Documents analysed: {n}")
NOT_DRAWN = N_("Not drawn: {reason}")
FIGURES = {
    "network": N_("Co-occurrence network"),
    "ca": N_("Correspondence analysis (terms × region)"),
}
OVERVIEW_COLUMNS = {
    "region": N_("Region"),
    "organizations": N_("Organizations"),
    "date": N_("Month"),
    "hubs": N_("Related hubs"),
    "documents": N_("Documents"),
}
CODE_COLUMN = N_("Code")

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


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _data(chapter: Any) -> Mapping[str, Any]:
    return chapter.to_dict() if hasattr(chapter, "to_dict") else chapter


def _cell(value: Any, tr: Translator) -> str:
    if isinstance(value, list | tuple):
        return _esc(tr.join([str(v) for v in value]))
    if isinstance(value, float) and value == int(value):
        return _esc(int(value))
    return _esc(value)


def _table(table: Mapping[str, Any], tr: Translator, headings: Mapping[str, str], row_header: str | None = None) -> str:
    columns = list(table["columns"])
    head = "".join(f"<th>{_esc(tr.gettext(headings[c]) if c in headings else c)}</th>" for c in columns)
    body = []
    for row in table["rows"]:
        cells = []
        for c in columns:
            tag = "th" if c == row_header else "td"
            cells.append(f"<{tag}>{_cell(row.get(c), tr)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='chiiki-table'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _messages(messages: list[Mapping[str, Any]], tr: Translator) -> str:
    return "".join(f"<p class='warning'>{_esc(tr.render(m))}</p>" for m in messages)


def _figure(fig: Mapping[str, Any], tr: Translator) -> str:
    title = tr.gettext(FIGURES.get(fig["kind"], fig["kind"]))
    if fig.get("base64") is None:
        reason = tr.render(fig["skipped"]) if fig.get("skipped") else ""
        return f"<h3>{_esc(title)}</h3><p>{_esc(tr.gettext(NOT_DRAWN).format(reason=reason))}</p>"
    img = f'<img alt="{_esc(title)}" src="data:{_esc(fig["mime"])};base64,{fig["base64"]}" style="max-width:100%">'
    return f"<h3>{_esc(title)}</h3>{img}"


def render(chapter: Any, tr: Translator, heading: bool = True) -> str:
    """The chapter as an HTML fragment (``<section class='chiiki-hearings'>``) in ``tr``'s language.

    ``chapter`` is a ``HearingsChapter`` or its ``to_dict()``; ``heading`` False leaves out the
    chapter title (the main report writes its own).
    """
    c = _data(chapter)
    parts = ["<section class='chiiki-hearings'>"]
    if heading:
        parts.append(f"<h2>{_esc(tr.gettext(TITLE))}</h2>")
    overview = c["overview"]
    if overview["rows"]:
        parts.append(f"<h3>{_esc(tr.gettext(TABLE1))}</h3>{_table(overview, tr, OVERVIEW_COLUMNS)}")
    if c["guide"]:
        items = "".join(f"<li>{_esc(q)}</li>" for q in c["guide"])
        parts.append(f"<h3>{_esc(tr.gettext(GUIDE))}</h3><ol>{items}</ol>")
    codes = c["codes"]
    parts.append(f"<h3>{_esc(tr.gettext(CODES))}</h3>")
    if codes["rows"]:
        parts.append(_table(codes, tr, {"code": CODE_COLUMN}, row_header="code"))
        parts.append(_messages(codes.get("warnings", []), tr))
    else:
        parts.append(f"<p>{_esc(tr.gettext(NO_CODES))}</p>")
    parts.append(f"<p>{_esc(tr.gettext(N_DOCS).format(n=c['n_documents']))}</p>")
    parts.append(_messages(c["messages"], tr))
    parts.extend(_figure(f, tr) for f in c["figures"])
    parts.append(f"<p class='source'>{_esc(tr.render(c['source']))}</p>")
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def page(chapter: Any, tr: Translator) -> str:
    """A standalone HTML page holding the chapter (what ``chiiki text report`` writes)."""
    return PAGE.format(lang=_esc(tr.lang), title=_esc(tr.gettext(TITLE)), body=render(chapter, tr))
