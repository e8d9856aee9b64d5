"""Japanese normalization: one stable key per organization, place or region name.

The report itself writes ｲﾉﾍﾞｰｼｮﾝ in half-width, MEXT pages write (財) where a university page
writes 公益財団法人, and the same foundation appears with and without 【】 or spaces. Every
comparison in chiiki goes through these functions; the original text is kept for display.
"""

from __future__ import annotations

import re
import unicodedata

NAME_SEPARATOR = "・"  # the nakaguro that joins names in one phrase (釜石市・遠野市)

# Corporate-form variants, longest first so 公益財団法人 wins over 財団法人.
# Each maps to a canonical token that is *removed* from the key (the form is not part of identity:
# 財団法人X and 公益財団法人X are the same body after the 2008 public-interest reform).
_CORPORATE_FORMS = [
    "国立研究開発法人",
    "地方独立行政法人",
    "独立行政法人",
    "国立大学法人",
    "公立大学法人",
    "学校法人",
    "公益財団法人",
    "一般財団法人",
    "財団法人",
    "公益社団法人",
    "一般社団法人",
    "社団法人",
    "特定非営利活動法人",
    "NPO法人",
    "株式会社",
    "有限会社",
    "合同会社",
]
# Abbreviations as they appear after NFKC (㈱ becomes (株), ㈶ becomes (財)).
_ABBREVIATIONS = {
    "(株)": "株式会社",
    "(有)": "有限会社",
    "(財)": "財団法人",
    "(公財)": "公益財団法人",
    "(一財)": "一般財団法人",
    "(社)": "社団法人",
    "(公社)": "公益社団法人",
    "(一社)": "一般社団法人",
    "(独)": "独立行政法人",
    "(地独)": "地方独立行政法人",
    "(国研)": "国立研究開発法人",
    "(特非)": "特定非営利活動法人",
    "(学)": "学校法人",
}
_BRACKETS = "()[]{}「」『』【】〔〕〈〉《》<>\"'“”‘’"
_SPACE_RE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """NFKC plus the dash and tilde variants NFKC leaves alone (−, ‐, ～ in page titles)."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("−", "-").replace("‐", "-").replace("〜", "~").replace("～", "~")


def expand_abbreviations(text: str) -> str:
    """(株)X / ㈱X / X(株) → 株式会社X etc., on NFKC text."""
    for abbr, full in _ABBREVIATIONS.items():
        text = text.replace(abbr, full)
    return text


def strip_corporate_forms(text: str) -> str:
    for form in _CORPORATE_FORMS:
        text = text.replace(form, "")
    return text


def org_key(name: str) -> str:
    """The stable identity of an organization name.

    NFKC, abbreviations expanded, corporate forms removed, brackets/spaces/middle dots dropped,
    Latin letters lower-cased. "（公財）福岡県産業・科学技術振興財団" and
    "公益財団法人 福岡県産業･科学技術振興財団" give the same key.
    """
    text = nfkc(name)
    text = expand_abbreviations(text)
    text = strip_corporate_forms(text)
    text = _SPACE_RE.sub("", text)
    text = "".join(ch for ch in text if ch not in _BRACKETS and ch not in "・･.,、。")
    return text.lower()


def text_key(text: str | None) -> str:
    """Key for free text such as area names: NFKC, brackets and spaces removed."""
    if not text:
        return ""
    text = nfkc(text)
    text = _SPACE_RE.sub("", text)
    return "".join(ch for ch in text if ch not in _BRACKETS).lower()


def split_list(text: str | None) -> list[str]:
    """Split a cell that lists several names ("北海道、札幌市", "愛知県; 岐阜県")."""
    if not text:
        return []
    parts = re.split(r"\s*(?:;|、|,|\n|\|)\s*", nfkc(text))
    return [p.strip() for p in parts if p.strip()]


def strip_parenthetical(text: str) -> str:
    """'香川大学 (工学部・医学部)' → '香川大学': parenthesised remarks are notes, not names."""
    out = re.sub(r"\s*[(（][^()（）]*[)）]", "", nfkc(text))
    return out.strip()
