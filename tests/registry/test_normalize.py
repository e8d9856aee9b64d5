"""Japanese normalization: one key per organization, whatever corporate form or width."""

import pytest

from chiiki.ingest.normalize import nfkc, org_key, split_list, text_key


@pytest.mark.parametrize(
    "variants",
    [
        [
            "（公財）福岡県産業・科学技術振興財団",
            "公益財団法人 福岡県産業･科学技術振興財団",
            "財団法人福岡県産業・科学技術振興財団",
            "(財)福岡県産業・科学技術振興財団",
        ],
        ["㈱Kyulux", "(株)Kyulux", "株式会社 Kyulux", "株式会社Ｋｙｕｌｕｘ"],
        ["国立大学法人東北大学", "東北大学", "東北 大学"],
        ["(地独)神奈川県立産業技術総合研究所", "地方独立行政法人 神奈川県立産業技術総合研究所"],
        ["(一社)鶴岡サイエンスパーク", "一般社団法人 鶴岡サイエンスパーク"],
    ],
)
def test_org_key_merges_corporate_form_variants(variants: list[str]) -> None:
    keys = {org_key(v) for v in variants}
    assert len(keys) == 1, keys


def test_different_bodies_keep_different_keys() -> None:
    assert org_key("九州大学") != org_key("九州工業大学")
    assert org_key("(株)久留米リサーチ・パーク") != org_key("久留米大学")


def test_half_width_katakana_as_in_the_report() -> None:
    assert nfkc("地域の自律的なｲﾉﾍﾞｰｼｮﾝ・ｴｺｼｽﾃﾑ") == "地域の自律的なイノベーション・エコシステム"


def test_text_key_drops_brackets_and_spaces() -> None:
    assert text_key("【弘前エリア】") == text_key("(弘前エリア)") == "弘前エリア"


def test_split_list() -> None:
    assert split_list("北海道、札幌市") == ["北海道", "札幌市"]
    assert split_list("愛知県; 岐阜県") == ["愛知県", "岐阜県"]
    assert split_list(None) == []
