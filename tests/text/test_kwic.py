"""Keyword in context."""

from __future__ import annotations

from chiiki.text import Doc, kwic


def test_kwic_known_answer_on_half_width_text(tokenizer):
    docs = [
        Doc("d1", "地域のｲﾉﾍﾞｰｼｮﾝを支える。", {}),
        Doc("d2", "イノベーションは\n人材から。", {}),
        Doc("d3", "関係のない文。", {}),
    ]
    out = kwic(docs, "イノベーション", tokenizer, width=3)
    assert out.to_dict("records") == [
        {"doc_id": "d1", "left": "地域の", "keyword": "ｲﾉﾍﾞｰｼｮﾝ", "right": "を支え", "start": 3, "end": 11},
        {"doc_id": "d2", "left": "", "keyword": "イノベーション", "right": "は 人", "start": 0, "end": 7},
    ]


def test_kwic_finds_forced_terms_and_verbs_by_normalized_form(tokenizer):
    docs = [Doc("d", "ハンズオン支援を行った。", {})]
    assert kwic(docs, "ハンズオン支援", tokenizer)["keyword"].tolist() == ["ハンズオン支援"]
    assert kwic(docs, "行う", tokenizer)["keyword"].tolist() == ["行っ"]


def test_kwic_substring_mode_finds_text_inside_forced_terms(tokenizer):
    docs = [Doc("d", "地域ｲﾉﾍﾞｰｼｮﾝの拠点。", {})]
    assert kwic(docs, "イノベーション", tokenizer).empty  # the token is 地域イノベーション
    out = kwic(docs, "イノベーション", tokenizer, width=2, match="substring")
    assert out.to_dict("records") == [
        {"doc_id": "d", "left": "地域", "keyword": "ｲﾉﾍﾞｰｼｮﾝ", "right": "の拠", "start": 2, "end": 10},
    ]
