"""KH Coder-style coding rules."""

from __future__ import annotations

import pytest

from chiiki.text import CodingRules, Doc, RuleSyntaxError
from chiiki.text.rules import make_unit

RULES = """
# comment
*人材
人材 | 人材育成 | コーディネーター
*資金
資金 & !研究費
*連携: near(大学-企業) or seq(技術シーズ-事業化)[3]
*否定: not (人材育成 and 資金)
"""


def test_parse_both_forms():
    rules = CodingRules.parse(RULES)
    assert rules.names == ["人材", "資金", "連携", "否定"]
    assert rules.codes[2].rule == "near(大学-企業) or seq(技術シーズ-事業化)[3]"
    assert {"人材育成", "技術シーズ", "事業化"} <= rules.terms


def test_apply_known_answer(tokenizer):
    docs = [
        Doc("a", "人材育成が課題。資金が足りない。", {}),
        Doc("b", "大学と地域の企業が連携。研究費の資金。", {}),
        Doc("c", "技術シーズの事業化を目指す。", {}),
        Doc("d", "技術シーズを持つ研究者が地域の多くの企業と組んで事業化した。", {}),
    ]
    coded = CodingRules.parse(RULES).apply(docs, tokenizer)
    assert coded.to_dict("index") == {
        "a": {"人材": True, "資金": True, "連携": False, "否定": False},
        "b": {"人材": False, "資金": False, "連携": True, "否定": True},
        "c": {"人材": False, "資金": False, "連携": True, "否定": True},
        "d": {"人材": False, "資金": False, "連携": False, "否定": True},  # seq too far
    }


def test_near_and_seq_distances(tokenizer):
    """Positions count tokens except punctuation: 大学(0) と(1) 企業(2)."""
    unit = make_unit("大学と企業。", tokenizer)
    assert unit.positions["大学"] == [0] and unit.positions["企業"] == [2]
    code = CodingRules.parse("*a: near(企業-大学)[2]\n*b: near(企業-大学)[1]\n*c: seq(企業-大学)\n*d: seq(大学-企業)")
    assert code.evaluate(unit) == {"a": True, "b": False, "c": False, "d": True}


def test_half_width_and_substring_terms(tokenizer):
    rules = CodingRules.parse("*イノベ: ｲﾉﾍﾞｰｼｮﾝ\n*文字列: '振興事'")
    coded = rules.apply([Doc("x", "ｲﾉﾍﾞｰｼｮﾝと振興事業", {})], tokenizer)
    assert coded.loc["x"].tolist() == [True, True]


def test_sentence_unit(tokenizer):
    coded = CodingRules.parse("*資金: 資金").apply([Doc("a", "人材。資金。", {})], tokenizer, unit="sentence")
    assert coded["資金"].tolist() == [False, True]
    assert coded.index.names == ["doc_id", "sentence"]


@pytest.mark.parametrize(
    "text",
    ["*a: (人材 | 資金", "*a: 人材 資金", "*a: 人材 |", "人材", "*: 人材", "*a: x\n*a: y", "*a: near(人材)"],
)
def test_syntax_errors_are_named(text):
    with pytest.raises(RuleSyntaxError):
        CodingRules.parse(text)


def test_unknown_unit_is_a_named_error(tokenizer):
    from chiiki.text.tokenized import UnknownUnitError

    with pytest.raises(UnknownUnitError):
        CodingRules.parse("*a: 人材").apply([Doc("a", "人材", {})], tokenizer, unit="段落")
