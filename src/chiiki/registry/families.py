"""Program families: the policy lines that succeed one another (KC → RICP → RISSP → ECO …)."""

from __future__ import annotations

# family id → (Japanese label, English label, display order)
FAMILIES: dict[str, tuple[str, str, int]] = {
    "JST_KESSHU": ("地域結集型(JST)", "JST Regional Research Consolidation", 1),
    "JST_RSP": ("RSP(JST)", "JST Regional Science Promotion (RSP)", 2),
    "KC": ("知的クラスター創成事業", "Knowledge Cluster Initiative", 3),
    "CA": ("都市エリア産学官連携促進事業", "City Area Program", 4),
    "JST_JUTEN": ("重点地域研究開発推進(JST)", "JST Priority Regional R&D", 5),
    "JST_KYOTEN": ("地域産学官共同研究拠点(JST)", "JST Joint Research Hubs", 6),
    "RICP": ("地域イノベーションクラスタープログラム", "Regional Innovation Cluster Program", 7),
    "RIS": (
        "地域イノベーション戦略推進地域・支援プログラム",
        "Regional Innovation Strategy Areas / Support Program",
        8,
    ),
    "JST_SUPERC": ("スーパークラスター(JST)", "JST Super Cluster", 9),
    "JST_RC": ("リサーチコンプレックス(JST)", "JST Research Complex", 10),
    "ECO": ("地域イノベーション・エコシステム形成プログラム", "Regional Innovation Ecosystem Formation Program", 11),
    "DESIGN_I": ("DESIGN-i", "DESIGN-i", 12),
    "COINEXT": ("共創の場形成支援(COI-NEXT)", "COI-NEXT", 13),
}

_PREFIX_RULES = (
    ("KC", "KC"),
    ("CA_", "CA"),
    ("RICP_", "RICP"),
    ("RISSP", "RIS"),
    ("RISPA", "RIS"),
    ("ECO", "ECO"),
    ("JST_KESSHU", "JST_KESSHU"),
    ("JST_RSP", "JST_RSP"),
    ("JST_JUTEN", "JST_JUTEN"),
    ("JST_KYOTEN", "JST_KYOTEN"),
    ("JST_SUPERC", "JST_SUPERC"),
    ("JST_RC", "JST_RC"),
    ("COINEXT", "COINEXT"),
    ("DESIGN_I", "DESIGN_I"),
)


def family_of(program_id: str) -> str:
    """The policy family of a program id (documented rule: longest known prefix, else the id)."""
    for prefix, family in _PREFIX_RULES:
        if program_id.startswith(prefix):
            return family
    return program_id


def family_label(family: str, lang: str = "ja") -> str:
    entry = FAMILIES.get(family)
    if entry is None:
        return family
    return entry[0] if lang == "ja" else entry[1]


def family_order(family: str) -> int:
    entry = FAMILIES.get(family)
    return entry[2] if entry else 99
