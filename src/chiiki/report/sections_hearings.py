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
CODER = N_("Coder: {coder}")
# the mark of a sample record (the hearings package's ``hearings.sample_mark``; this msgid is
# its fallback while a catalogue lacks that code)
SAMPLE_MARK = N_("[sample]")
SAMPLES_LEFT_OUT_CODE = "hearings.samples_left_out"
# alt text of the chapter's figures: what the image shows, for a reader who cannot see it
FIGURE_ALT = {
    "network": N_("Co-occurrence network of the most frequent terms; terms drawn: {terms}"),
    "ca": N_("Correspondence analysis map of terms and regions; labels drawn: {terms}"),
}
ALT_TERMS = 20

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


def sample_mark(tr: Translator) -> str:
    """【サンプル】 / [sample] in ``tr``'s language."""
    from chiiki.i18n import msg

    try:
        return tr.render(msg("hearings.sample_mark", "info"))
    except KeyError:
        return tr.gettext(SAMPLE_MARK)


def samples_left_out(chapter: Any) -> dict[str, int]:
    """``{"hearings": n, "documents": n}`` the chapter left out as samples (its message says)."""
    counts = {"hearings": 0, "documents": 0}
    if chapter is None:
        return counts
    for m in _data(chapter).get("messages", []):
        if m.get("code") == SAMPLES_LEFT_OUT_CODE:
            params = m.get("params", {})
            counts = {k: int(params.get(k, 0) or 0) for k in counts}
    return counts


def _overview(overview: Mapping[str, Any], tr: Translator) -> str:
    """Table 1: one row per hearing; a sample hearing's row carries the sample mark."""
    mark = sample_mark(tr)
    rows = []
    for row in overview["rows"]:
        if row.get("is_sample"):
            row = {**row, "region": f"{row.get('sample') or mark} {row.get('region') or ''}".strip()}
        rows.append(row)
    columns = [c for c in OVERVIEW_COLUMNS if c in overview["columns"]]
    return _table({"columns": columns, "rows": rows}, tr, OVERVIEW_COLUMNS)


def _codes(c: Mapping[str, Any], tr: Translator) -> str:
    """The code table of the rule the chapter states (one coder, or what every coder agreed on),
    then one table per coder when there are several: never a sum across coders."""
    codes = c["codes"]
    if not codes["rows"]:
        return f"<p>{_esc(tr.gettext(NO_CODES))}</p>"
    parts = []
    if c.get("codes_rule"):
        parts.append(f"<p class='note'>{_esc(tr.render(c['codes_rule']))}</p>")
    parts.append(_table(codes, tr, {"code": CODE_COLUMN}, row_header="code"))
    parts.append(_messages(codes.get("warnings", []), tr))
    by_coder = c.get("codes_by_coder") or {}
    if len(by_coder) > 1:
        for coder, table in by_coder.items():
            parts.append(f"<h4>{_esc(tr.gettext(CODER).format(coder=coder))}</h4>")
            parts.append(_table(table, tr, {"code": CODE_COLUMN}, row_header="code"))
    return "".join(parts)


def _figure(fig: Mapping[str, Any], tr: Translator) -> str:
    title = tr.gettext(FIGURES.get(fig["kind"], fig["kind"]))
    if fig.get("base64") is None:
        reason = tr.render(fig["skipped"]) if fig.get("skipped") else ""
        return f"<h3>{_esc(title)}</h3><p>{_esc(tr.gettext(NOT_DRAWN).format(reason=reason))}</p>"
    labels = [str(x) for x in fig.get("labels") or []]
    terms = tr.join(labels[:ALT_TERMS]) + (" …" if len(labels) > ALT_TERMS else "")
    alt = tr.gettext(FIGURE_ALT[fig["kind"]]).format(terms=terms) if fig["kind"] in FIGURE_ALT else title
    img = f'<img alt="{_esc(alt)}" src="data:{_esc(fig["mime"])};base64,{fig["base64"]}" style="max-width:100%">'
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
        parts.append(f"<h3>{_esc(tr.gettext(TABLE1))}</h3>{_overview(overview, tr)}")
    if c["guide"]:
        items = "".join(f"<li>{_esc(q)}</li>" for q in c["guide"])
        parts.append(f"<h3>{_esc(tr.gettext(GUIDE))}</h3><ol>{items}</ol>")
    parts.append(f"<h3>{_esc(tr.gettext(CODES))}</h3>")
    parts.append(_codes(c, tr))
    parts.append(f"<p>{_esc(tr.gettext(N_DOCS).format(n=c['n_documents']))}</p>")
    parts.append(_messages(c["messages"], tr))
    parts.extend(_figure(f, tr) for f in c["figures"])
    parts.append(f"<p class='source'>{_esc(tr.render(c['source']))}</p>")
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _cells(row: Mapping[str, Any], tr: Translator) -> dict[str, Any]:
    return {k: tr.join([str(x) for x in v]) if isinstance(v, list | tuple) else v for k, v in row.items()}


def workbook_tables(chapter: Any, tr: Translator) -> tuple[Any, Any]:
    """Table 1 and the code tables of the chapter as frames for report.xlsx (raw column keys).

    Sample hearings keep their mark in a column of its own; code tables are stacked with the
    coder (or the rule) in the first column, never summed across coders.
    """
    import pandas as pd

    if chapter is None:
        return pd.DataFrame(), pd.DataFrame()
    c = _data(chapter)
    mark = sample_mark(tr)
    overview = c["overview"]
    columns = [k for k in OVERVIEW_COLUMNS if k in overview["columns"]]
    rows = []
    for row in overview["rows"]:
        out = {k: row.get(k) for k in columns}
        out["sample"] = (row.get("sample") or mark) if row.get("is_sample") else ""
        rows.append(_cells(out, tr))
    hearings = pd.DataFrame(rows, columns=[*columns, "sample"]) if rows else pd.DataFrame()
    tables: list[tuple[str, Mapping[str, Any]]] = []
    by_coder = c.get("codes_by_coder") or {}
    if c["codes"]["rows"]:
        rule = tr.render(c["codes_rule"]) if c.get("codes_rule") else ""
        tables.append((rule, c["codes"]))
    if len(by_coder) > 1:
        tables.extend((str(k), v) for k, v in by_coder.items())
    frames = [
        pd.DataFrame([_cells(r, tr) for r in t["rows"]], columns=list(t["columns"])).assign(coder=who)
        for who, t in tables
        if t["rows"]
    ]
    codes = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not codes.empty:
        codes = codes[["coder", *[k for k in codes.columns if k != "coder"]]]
    return hearings, codes


def page(chapter: Any, tr: Translator) -> str:
    """A standalone HTML page holding the chapter (what ``chiiki text report`` writes)."""
    return PAGE.format(lang=_esc(tr.lang), title=_esc(tr.gettext(TITLE)), body=render(chapter, tr))
