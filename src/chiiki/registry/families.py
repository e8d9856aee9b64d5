"""Program families: the policy lines that succeed one another (KC → RICP → RISSP → ECO …)."""

from __future__ import annotations

from chiiki.i18n import N_, translator

# family id → (label: an English msgid, translated through the catalogue; display order)
FAMILIES: dict[str, tuple[str, int]] = {
    "JST_KESSHU": (N_("JST Regional Research Consolidation"), 1),
    "JST_RSP": (N_("JST Regional Science Promotion (RSP)"), 2),
    "KC": (N_("Knowledge Cluster Initiative"), 3),
    "CA": (N_("City Area Program"), 4),
    "JST_JUTEN": (N_("JST Priority Regional R&D"), 5),
    "JST_KYOTEN": (N_("JST Joint Research Hubs"), 6),
    "RICP": (N_("Regional Innovation Cluster Program"), 7),
    "RIS": (N_("Regional Innovation Strategy Areas / Support Program"), 8),
    "JST_SUPERC": (N_("JST Super Cluster"), 9),
    "JST_RC": (N_("JST Research Complex"), 10),
    "ECO": (N_("Regional Innovation Ecosystem Formation Program"), 11),
    "DESIGN_I": (N_("DESIGN-i"), 12),
    "COINEXT": (N_("COI-NEXT"), 13),
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


def family_msgid(family: str) -> str:
    """The label of a family as its English msgid (what results carry; shown through the
    catalogue); the family id itself for a family the registry does not know."""
    entry = FAMILIES.get(family)
    return entry[0] if entry else family


def family_label(family: str, lang: str = "ja") -> str:
    """The label of a family in ``lang`` (the id itself for an unknown family)."""
    entry = FAMILIES.get(family)
    if entry is None:
        return family
    return translator(lang).gettext(entry[0])


def family_order(family: str) -> int:
    entry = FAMILIES.get(family)
    return entry[1] if entry else 99
