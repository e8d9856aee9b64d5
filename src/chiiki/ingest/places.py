"""The 47 prefectures, for validating place cells (a typo like 火星県 must not become a region)."""

from __future__ import annotations

from chiiki.ingest.normalize import nfkc, strip_parenthetical

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip
_BY_STEM = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}
SUFFIXES = "都道府県"


def prefecture_stem(text: str) -> str:
    """A prefecture query without its suffix ('宮城県' → '宮城'), for prefix matching."""
    return text.rstrip(SUFFIXES)


def canonical_prefecture(name: str) -> str | None:
    """'福岡県', '福岡', '福岡県 (proposer per page)' → '福岡県'; anything else → None."""
    text = strip_parenthetical(nfkc(name)).strip()
    if text in PREFECTURES:
        return text
    return _BY_STEM.get(text)
