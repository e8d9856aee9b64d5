"""The 47 prefectures: names, English names, a tile-grid layout, and name matching.

Why here and not in japanmap: the tile layout is the fallback map when ``japanmap`` is not
installed, and counting selections per prefecture must not depend on a plotting package.
"""

from __future__ import annotations

from chiiki.ingest.normalize import nfkc, split_list, strip_parenthetical

# JIS order (code = index + 1): (Japanese, English, tile column, tile row).
PREFECTURES: tuple[tuple[str, str, int, int], ...] = (
    ("北海道", "Hokkaido", 11, 0),
    ("青森県", "Aomori", 11, 1),
    ("岩手県", "Iwate", 11, 2),
    ("宮城県", "Miyagi", 11, 3),
    ("秋田県", "Akita", 10, 2),
    ("山形県", "Yamagata", 10, 3),
    ("福島県", "Fukushima", 11, 4),
    ("茨城県", "Ibaraki", 10, 5),
    ("栃木県", "Tochigi", 10, 4),
    ("群馬県", "Gunma", 9, 4),
    ("埼玉県", "Saitama", 9, 5),
    ("千葉県", "Chiba", 10, 6),
    ("東京都", "Tokyo", 9, 6),
    ("神奈川県", "Kanagawa", 8, 6),
    ("新潟県", "Niigata", 9, 3),
    ("富山県", "Toyama", 8, 3),
    ("石川県", "Ishikawa", 7, 3),
    ("福井県", "Fukui", 6, 4),
    ("山梨県", "Yamanashi", 8, 5),
    ("長野県", "Nagano", 8, 4),
    ("岐阜県", "Gifu", 7, 4),
    ("静岡県", "Shizuoka", 7, 6),
    ("愛知県", "Aichi", 7, 5),
    ("三重県", "Mie", 6, 6),
    ("滋賀県", "Shiga", 6, 5),
    ("京都府", "Kyoto", 5, 5),
    ("大阪府", "Osaka", 4, 6),
    ("兵庫県", "Hyogo", 4, 5),
    ("奈良県", "Nara", 5, 6),
    ("和歌山県", "Wakayama", 4, 7),
    ("鳥取県", "Tottori", 3, 5),
    ("島根県", "Shimane", 2, 5),
    ("岡山県", "Okayama", 3, 6),
    ("広島県", "Hiroshima", 2, 6),
    ("山口県", "Yamaguchi", 1, 5),
    ("徳島県", "Tokushima", 3, 8),
    ("香川県", "Kagawa", 3, 7),
    ("愛媛県", "Ehime", 2, 7),
    ("高知県", "Kochi", 2, 8),
    ("福岡県", "Fukuoka", 1, 6),
    ("佐賀県", "Saga", 0, 6),
    ("長崎県", "Nagasaki", 0, 7),
    ("熊本県", "Kumamoto", 0, 8),
    ("大分県", "Oita", 1, 7),
    ("宮崎県", "Miyazaki", 1, 8),
    ("鹿児島県", "Kagoshima", 0, 9),
    ("沖縄県", "Okinawa", 0, 11),
)
NAMES_JA = tuple(p[0] for p in PREFECTURES)
# '京都' → '京都府' (only the last character is a suffix: rstrip("都府県") would eat 京都府 to 京)
_BY_STEM = {name[:-1] if name[-1] in "都府県" else name: name for name in NAMES_JA}


def prefecture_name(text: str) -> str | None:
    """The official name for '京都府', '京都' or ' 京都府 ' (after NFKC); None if not one."""
    key = nfkc(text).strip()
    if key in NAMES_JA:
        return key
    return _BY_STEM.get(key)


def prefectures_in(text: str | None) -> list[str]:
    """Prefectures named in a list cell such as '北海道、札幌市' (municipalities are skipped;
    a bracketed remark such as '愛知県 (proposer per page)' is a note, not part of the name)."""
    found: list[str] = []
    for item in split_list(text):
        name = prefecture_name(strip_parenthetical(item))
        if name and name not in found:
            found.append(name)
    return found


def english_name(name_ja: str) -> str:
    for ja, en, _c, _r in PREFECTURES:
        if ja == name_ja:
            return en
    return name_ja


def short_name(name_ja: str, name_en: str, lang: str = "ja") -> str:
    """The label of a tile: '宮城' in Japanese (the suffix 県 dropped), 'Miy' in English."""
    if lang == "ja":
        return name_ja[:-1] if name_ja.endswith("県") else name_ja
    return name_en[:3]
