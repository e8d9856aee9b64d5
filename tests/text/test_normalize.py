"""NFKC with offsets back into the original text."""

from __future__ import annotations

import random
import unicodedata

from chiiki.text.normalize import normalize_with_offsets


def test_half_width_katakana_maps_back_to_original_span():
    text = "地域のｲﾉﾍﾞｰｼｮﾝ。"
    nt = normalize_with_offsets(text)
    assert nt.text == "地域のイノベーション。"
    start = nt.text.index("イノベーション")
    s, e = nt.span(start, start + len("イノベーション"))
    assert text[s:e] == "ｲﾉﾍﾞｰｼｮﾝ"  # 8 original characters for 7 normalized ones
    s, e = nt.span(nt.text.index("。"), nt.text.index("。") + 1)
    assert text[s:e] == "。"


def test_expanding_and_combining_characters():
    nt = normalize_with_offsets("㈱か\u3099")
    assert nt.text == "(株)が"
    assert nt.span(0, 3) == (0, 1)  # all of (株) comes from ㈱
    assert nt.span(3, 4) == (1, 3)  # が = か + combining voiced mark


def test_already_normalized_text_is_identity():
    nt = normalize_with_offsets("普通の文です。")
    assert nt.pieces == ()
    assert nt.span(2, 4) == (2, 4)


def test_random_strings_round_trip():
    """Seeded property check: every normalized span maps to an original span whose NFKC
    contains it, and the normalized text equals NFKC of the whole."""
    rng = random.Random(20261129)
    alphabet = list("あかきｶﾞﾊﾟｲﾉﾍﾞｰ㈱ＡＢab漢字\u3099①。")
    for _ in range(500):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        nt = normalize_with_offsets(s)
        assert nt.text == unicodedata.normalize("NFKC", s)
        for i in range(len(nt.text)):
            for j in range(i + 1, len(nt.text) + 1):
                a, b = nt.span(i, j)
                assert nt.text[i:j] in unicodedata.normalize("NFKC", s[a:b])
