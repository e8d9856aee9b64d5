"""Prefecture cells as people write them: short names, several per cell, any separator."""

from __future__ import annotations

import pytest

from chiiki.ingest.messages import InvalidValue
from chiiki.ingest.values import prefecture, prefectures


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("岩手", "岩手県"),
        ("東京", "東京都"),
        ("大阪", "大阪府"),
        ("京都", "京都府"),
        ("北海道", "北海道"),
        ("岩手県・宮城県", "岩手県; 宮城県"),
        ("岩手、宮城", "岩手県; 宮城県"),
        ("京都/大阪／奈良", "京都府; 大阪府; 奈良県"),
        ("愛知県 岐阜県", "愛知県; 岐阜県"),
        ("愛知県　岐阜県", "愛知県; 岐阜県"),
        ("愛知県; 岐阜県", "愛知県; 岐阜県"),
        ("愛知県 (proposer per page)", "愛知県 (proposer per page)"),
        ("岩手・岩手県", "岩手県"),
        ("", None),
        (None, None),
        ("ー", None),
    ],
)
def test_prefectures_official_names_in_the_stored_form(cell: object, stored: str | None) -> None:
    assert prefectures(cell) == stored


@pytest.mark.parametrize(("cell", "name"), [("北部九州", None), ("火星県", None), ("岩手・北部九州", "北部九州")])
def test_an_area_or_a_typo_is_a_row_error_not_a_prefecture(cell: str, name: str | None) -> None:
    with pytest.raises(InvalidValue) as exc:
        prefectures(cell)
    assert exc.value.message.params["value"] == cell
    assert exc.value.message.params.get("name") == name


def test_an_organization_has_one_prefecture() -> None:
    assert prefecture("東京") == "東京都"
    with pytest.raises(InvalidValue) as exc:
        prefecture("東京・大阪")
    assert exc.value.message.code == "ingest.one_prefecture"


def test_the_bundled_prefecture_cells_are_stored_unchanged() -> None:
    """The bundled adoptions import cleanly and keep their form (split_list and queries read it)."""
    import csv

    from chiiki.ingest.normalize import split_list
    from chiiki.registry.bundled import bundled_dir

    with (bundled_dir() / "adoptions.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [row["prefectures"] for row in csv.DictReader(fh)]
    assert cells
    for cell in cells:
        assert (prefectures(cell) or "") == cell
        assert split_list(prefectures(cell)) == split_list(cell)


def test_the_adoption_and_organization_columns_use_them() -> None:
    from chiiki.ingest.schema import ADOPTIONS, ORGANIZATIONS

    assert next(c for c in ADOPTIONS.columns if c.name == "prefectures").parse is prefectures
    assert next(c for c in ORGANIZATIONS.columns if c.name == "prefecture").parse is prefecture
