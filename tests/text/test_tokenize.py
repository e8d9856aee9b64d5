"""Sudachi tokenization with forced terms: known-answer token lists."""

from __future__ import annotations

from chiiki.text import Tokenizer
from chiiki.text.tokenize import DEFAULT_TERMS, MAX_CHUNK, parse_terms


def rows(tokens):
    return [(t.surface, t.normalized, t.pos, t.start, t.end, t.forced) for t in tokens]


def test_half_width_katakana_is_normalized_and_offsets_point_to_original(tokenizer):
    text = "ｲﾉﾍﾞｰｼｮﾝを支える人材を育てる。"
    assert rows(tokenizer.tokenize(text)) == [
        ("ｲﾉﾍﾞｰｼｮﾝ", "イノベーション", "名詞-普通名詞-一般", 0, 8, False),
        ("を", "を", "助詞-格助詞", 8, 9, False),
        ("支える", "支える", "動詞-一般", 9, 12, False),
        ("人材", "人材", "名詞-普通名詞-一般", 12, 14, False),
        ("を", "を", "助詞-格助詞", 14, 15, False),
        ("育てる", "育てる", "動詞-一般", 15, 18, False),
        ("。", "。", "補助記号-句点", 18, 19, False),
    ]
    assert tokenizer.terms(text) == ["イノベーション", "支える", "人材", "育てる"]


def test_forced_terms_are_merged(tokenizer):
    text = "公設試のコーディネーターがハンズオン支援を行った。"
    assert rows(tokenizer.tokenize(text)) == [
        ("公設試", "公設試", "名詞-強制抽出", 0, 3, True),
        ("の", "の", "助詞-格助詞", 3, 4, False),
        ("コーディネーター", "コーディネーター", "名詞-強制抽出", 4, 12, True),
        ("が", "が", "助詞-格助詞", 12, 13, False),
        ("ハンズオン支援", "ハンズオン支援", "名詞-強制抽出", 13, 20, True),
        ("を", "を", "助詞-格助詞", 20, 21, False),
        ("行っ", "行う", "動詞-一般", 21, 23, False),
        ("た", "た", "助動詞", 23, 24, False),
        ("。", "。", "補助記号-句点", 24, 25, False),
    ]
    assert tokenizer.terms(text) == ["公設試", "コーディネーター", "ハンズオン支援"]


def test_half_width_forced_term_and_no_match_inside_a_longer_word(tokenizer):
    """ｷﾞｬｯﾌﾟﾌｧﾝﾄﾞ matches ギャップファンド after NFKC (11 → 8 characters); 公設試 must not be
    cut out of 公設試験場 because its end falls inside the token 試験場."""
    text = "公設試験場でｷﾞｬｯﾌﾟﾌｧﾝﾄﾞを議論した。"
    toks = tokenizer.tokenize(text)
    assert [t.surface for t in toks][:4] == ["公設", "試験場", "で", "ｷﾞｬｯﾌﾟﾌｧﾝﾄﾞ"]
    gap = toks[3]
    assert (gap.normalized, gap.forced, gap.start, gap.end) == ("ギャップファンド", True, 6, 17)
    assert tokenizer.terms(text) == ["公設", "試験場", "ギャップファンド", "議論"]


def test_variant_mapping_and_stopwords_by_normalized_form(tokenizer):
    # "Gap Fund => ギャップファンド" in the default list; ため is stored as 為 by Sudachi.
    assert tokenizer.terms("Gap Fund のための資金") == ["ギャップファンド", "資金"]


def test_fast_path_equals_token_path_on_mixed_text(tokenizer):
    text = "地域の自律的なｲﾉﾍﾞｰｼｮﾝ・ｴｺｼｽﾃﾑ形成に向けた事業プロデューサーと司令塔。" * 3
    slow = [t.normalized for t in tokenizer.tokenize(text) if tokenizer.is_term(t)]
    assert tokenizer.terms(text) == slow
    assert "イノベーション・エコシステム" in slow


def test_long_text_is_chunked_with_correct_offsets(tokenizer):
    sentence = "産学官連携の拠点を形成する。\n"
    text = sentence * (MAX_CHUNK // len(sentence) + 5)
    toks = tokenizer.tokenize(text)
    assert all(text[t.start : t.end] == t.surface for t in toks)
    assert sum(t.normalized == "産学官連携" for t in toks) == text.count("産学官連携")


def test_custom_terms_pos_and_stopwords():
    tok = Tokenizer(user_terms=["地域資源"], pos_keep={"名詞"}, stopwords={"活用"})
    assert tok.terms("地域資源を活用する") == ["地域資源"]
    assert Tokenizer(user_terms=[], pos_keep={"*"}, stopwords=None).terms("資源を") == [
        "資源",
        "を",
    ]


def test_default_terms_resource():
    terms = parse_terms(DEFAULT_TERMS)
    for t in ["ハンズオン支援", "ギャップファンド", "公設試", "司令塔", "イノベーション・エコシステム"]:
        assert terms[t] == t
    assert terms["Gap Fund"] == "ギャップファンド"


def test_with_terms_adds_forced_terms(tokenizer):
    assert "人材育成" in tokenizer.terms("人材育成が課題")
    assert tokenizer.with_terms(["地域資源"]).terms("地域資源") == ["地域資源"]
