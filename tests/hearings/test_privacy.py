"""Who the known names are, how they are masked, and how offsets survive the masking."""

from __future__ import annotations

from chiiki.hearings.importing import add_document
from chiiki.hearings.privacy import KnownName, NameMask, Redaction, known_names
from chiiki.hearings.records import add_hearing_organization, add_interviewee, create_hearing
from chiiki.model.db import session_scope


def _mask(*pairs: tuple[str, str]) -> NameMask:
    return NameMask([KnownName(name, "interviewee", p) for name, p in pairs])


def test_names_are_compared_after_nfkc_and_case_folding() -> None:
    mask = _mask(("山田太郎", "P1"), ("Yamada", "P2"))
    assert mask.text("ｻﾝﾌﾟﾙ: 山田太郎さんと ＹＡＭＡＤＡ さん、yamada") == "ｻﾝﾌﾟﾙ: P1さんと P2 さん、P2"
    assert mask.text("Yamadas and xyamada") == "Yamadas and xyamada"  # ASCII names: whole words only


def test_longest_name_wins_and_offsets_map_both_ways() -> None:
    mask = _mask(("山田", "P1"), ("山田太郎", "P2"))
    text = "聞き手：山田太郎さん、山田さんの補助金です。"
    m = mask.mask(text)
    assert m.text == "聞き手：P2さん、P1さんの補助金です。"
    i = text.index("補助金")
    j = m.text.index("補助金")
    assert m.to_new(i) == j and m.to_original(j) == i
    assert m.slice(i, i + 3) == "補助金"
    # a span that starts or ends inside a name takes the whole pseudonym
    k = text.index("太郎")
    assert m.slice(k, i) == m.text[m.text.index("P2") : j]


def test_known_names_from_interviewees_interviewers_and_speaker_labels(db: str) -> None:
    with session_scope(db) as s:
        h = create_hearing(s, "h", "試行", interviewers="佐藤 花子、Suzuki")
        add_hearing_organization(s, h, "鶴岡市", kind="local_government")
        add_interviewee(s, h, "山田 太郎")
        add_document(
            s,
            "聞き手：はい\n田中（鶴岡市役所）：はい\n（鶴岡市）：はい\nA：はい\n高橋：はい",
            "t",
            source_type="transcript",
            hearing=h,
        )
        mask = known_names(s)
        names = {(n.name, n.kind, n.pseudonym) for n in mask.names}
    assert ("山田 太郎", "interviewee", "P1") in names and ("太郎", "interviewee", "P1") in names
    assert ("佐藤 花子", "interviewer", "I1") in names and ("Suzuki", "interviewer", "I2") in names
    assert ("田中（鶴岡市役所）", "speaker", "S1") in names and ("田中", "speaker", "S1") in names
    assert ("高橋", "speaker", "S2") in names
    spoken = {n.name for n in mask.names}
    assert not spoken & {"聞き手", "A", "鶴岡市"}  # a role, a pseudonym, an organization


def test_redaction_withholds_only_when_personal_data_is_not_shown(db: str) -> None:
    with session_scope(db) as s:
        h = create_hearing(s, "h", "試行")
        add_interviewee(s, h, "山田太郎")
        hidden = Redaction.for_session(s, show_personal=False)
        shown = Redaction.for_session(s, show_personal=True)
    assert hidden.withholds(True) and not hidden.withholds(False)
    assert not shown.withholds(True)
    assert hidden.text("山田太郎の話") == "P1の話" and shown.text("山田太郎の話") == "山田太郎の話"
    assert hidden.speaker("山田太郎") == "P1" and hidden.speaker("聞き手") == "聞き手"
