"""Streaming readers for CSV (UTF-8, UTF-8 with BOM, CP932/Shift_JIS) and XLSX.

Rows are yielded one at a time with their 1-based row number as a spreadsheet user sees it
(the header is row 1), so an error can say "row 5,127" and a 100,000-row file never has to fit in
memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 16


class ReadError(Exception):
    """A file that cannot be read as a table; the message names the file and the reason."""


@dataclass(frozen=True)
class TableFile:
    path: Path
    encoding: str | None
    headers: list[str]


def _decodes_fully(path: Path, encoding: str) -> bool:
    """Stream the whole file through an incremental decoder (constant memory)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), then CP932, then charset-normalizer's guess.

    Order matters: charset detectors misread short CP932 strings (DEPENDENCIES.md), while a
    strict UTF-8 decode almost never succeeds on Shift_JIS bytes that contain Japanese.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes_fully(path, "utf-8"):
        return "utf-8"
    if _decodes_fully(path, "cp932"):
        return "cp932"
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise ReadError(f"{path}: cannot detect the text encoding (tried UTF-8, CP932)")
    return best.encoding


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def iter_csv(path: Path) -> tuple[TableFile, Iterator[tuple[int, dict[str, object]]]]:
    encoding = detect_encoding(path)
    fh = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(fh)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        fh.close()
        raise ReadError(f"{path}: the file is empty (no header row)") from None

    def rows() -> Iterator[tuple[int, dict[str, object]]]:
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(headers):
                    extra = [v for v in values[len(headers) :] if v.strip()]
                    if extra:
                        raise ReadError(
                            f"{path}: row {number}: {len(values)} cells but {len(headers)} headers (an unquoted comma?)"
                        )
                yield number, {h: _clean(v) for h, v in zip(headers, values, strict=False)}
        finally:
            fh.close()

    return TableFile(path, encoding, headers), rows()


def iter_xlsx(path: Path, sheet: str | None = None) -> tuple[TableFile, Iterator[tuple[int, dict[str, object]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ReadError(f"{path}: not a readable XLSX file ({exc})") from exc
    ws = wb[sheet] if sheet else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header_row = next(it)
    except StopIteration:
        wb.close()
        raise ReadError(f"{path}: the sheet {ws.title!r} is empty (no header row)") from None
    headers = [str(h).strip() if h is not None else "" for h in header_row]

    def rows() -> Iterator[tuple[int, dict[str, object]]]:
        try:
            for number, values in enumerate(it, start=2):
                cleaned = [_clean(v) for v in values]
                if all(v is None for v in cleaned):
                    continue
                yield number, {h: v for h, v in zip(headers, cleaned, strict=False) if h}
        finally:
            wb.close()

    return TableFile(path, None, headers), rows()


def open_table(path: Path, sheet: str | None = None) -> tuple[TableFile, Iterator[tuple[int, dict[str, object]]]]:
    """Open a CSV or XLSX file by its extension."""
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return iter_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return iter_csv(path)
    raise ReadError(f"{path}: unsupported file type {suffix!r} (use .csv or .xlsx)")
