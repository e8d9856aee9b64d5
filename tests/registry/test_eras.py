"""Fiscal years in every way people write them."""

import pytest

from chiiki.ingest.eras import FiscalYearError, parse_fiscal_year


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("平成14年度", 2002),
        ("H14", 2002),
        ("Ｈ１４", 2002),
        ("h14", 2002),
        ("平成十四年度", 2002),
        ("2002年度", 2002),
        ("2002", 2002),
        (2002, 2002),
        (2002.0, 2002),
        ("FY2002", 2002),
        ("令和5年度", 2023),
        ("R5", 2023),
        ("令和元年度", 2019),
        ("R1", 2019),
        ("平成31年度", 2019),
        ("昭和63年", 1988),
        ("Ｒ５年度", 2023),
        (" 2023 ", 2023),
    ],
)
def test_parse(text: object, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_empty_is_none(empty: object) -> None:
    assert parse_fiscal_year(empty) is None


@pytest.mark.parametrize("bad", ["平成", "X14", "2002年4月1日", "20020", "1800", 2002.5, "未定", "R0", "H0"])
def test_bad_values_raise_with_reason(bad: object) -> None:
    with pytest.raises(FiscalYearError) as exc:
        parse_fiscal_year(bad)
    assert repr(bad) in str(exc.value)
    assert exc.value.message.code.startswith("ingest.") and exc.value.message.params["value"] == bad


def test_reasons_are_message_codes_in_both_languages() -> None:
    from chiiki.i18n import render

    with pytest.raises(FiscalYearError) as exc:
        parse_fiscal_year("R0")
    assert exc.value.message.code == "ingest.era_year_zero"
    assert "元年" in render(exc.value.message, "ja") and "era start at 1" in render(exc.value.message, "en")
    with pytest.raises(FiscalYearError) as exc:
        parse_fiscal_year("1949")
    assert exc.value.message.params["min"] == 1950 and render(exc.value.message, "en").endswith("1950–2100")


@pytest.mark.parametrize(
    ("parser", "value", "code"),
    [
        ("grade", "X", "ingest.unknown_grade"),
        ("non_negative_int", "-3", "ingest.not_whole_number"),
        ("non_negative_int", -3, "ingest.negative_count"),
        ("non_negative_int", True, "ingest.not_a_count"),
        ("million_yen", "たくさん", "ingest.not_an_amount"),
        ("million_yen", -1, "ingest.negative_amount"),
    ],
)
def test_cell_parsers_refuse_with_codes(parser: str, value: object, code: str) -> None:
    from chiiki.ingest import values
    from chiiki.ingest.messages import InvalidValue

    with pytest.raises(InvalidValue) as exc:
        getattr(values, parser)(value)
    assert exc.value.message.code == code and isinstance(exc.value, ValueError)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("840", 840.0), ("1,200", 1200.0), ("8.4億円", 840.0), ("1.2億", 120.0), ("840万", 8.4), ("720百万円", 720.0)],
)
def test_budget_amounts_in_million_yen(text: str, amount: float) -> None:
    from chiiki.ingest.values import million_yen

    assert million_yen(text) == pytest.approx(amount)


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2019（令和元）年度", 2019),
        ("2019(R1)", 2019),
        ("2019年度(令和元年度)", 2019),
        ("2002（平成十四）年度", 2002),
    ],
)
def test_western_and_era_year_together(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("平成99年度", "ingest.era_year_out_of_range"),  # was 2087
        ("平成32年度", "ingest.era_year_out_of_range"),  # 平成 ended in its 31st year
        ("昭和65年", "ingest.era_year_out_of_range"),
        ("令和90年度", "ingest.era_year_out_of_range"),
        ("2020（令和元）年度", "ingest.era_year_mismatch"),
        ("2019(H30)", "ingest.era_year_mismatch"),
        ("平成十十年度", "ingest.bad_kanji_number"),  # a KeyError before
        ("平成一二三年度", "ingest.bad_kanji_number"),
    ],
)
def test_era_years_outside_the_era_or_disagreeing_are_row_errors(text: str, code: str) -> None:
    with pytest.raises(FiscalYearError) as exc:
        parse_fiscal_year(text)
    assert exc.value.message.code == code and isinstance(exc.value, ValueError)


def test_the_reiwa_range_follows_the_calendar() -> None:
    from datetime import date

    from chiiki.ingest.eras import last_era_year

    assert last_era_year("平成") == 31 and last_era_year("昭和") == 64
    assert last_era_year("令和", date(2026, 12, 2)) == 9


@pytest.mark.parametrize("serial", [43556, 43556.0, "43556"])
def test_an_excel_date_serial_is_explained_as_a_date(serial: object) -> None:
    from chiiki.i18n import render

    with pytest.raises(FiscalYearError) as exc:
        parse_fiscal_year(serial)
    m = exc.value.message
    assert m.code == "ingest.excel_date_serial" and m.params["date"] == "2019-04-01" and m.params["fy"] == 2019
    assert "2019-04-01" in render(m, "ja") and "2019-04-01" in render(m, "en")
