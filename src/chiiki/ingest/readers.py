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
from typing import Any

from chiiki.i18n import Message, msg, render
from chiiki.ingest.formulas import unescape_cell

_CHUNK = 1 << 16


class ReadError(Exception):
    """A file that cannot be read as a table; ``message`` (code ``ingest.*``) names the file and
    the reason, in the reader's language when rendered; ``str()`` is the English text."""

    def __init__(self, code: str, **params: Any) -> None:
        self.message: Message = msg(code, "error", **params)
        super().__init__(code)

    def __str__(self) -> str:
        return render(self.message, "en")


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
        raise ReadError("ingest.unknown_encoding", file=str(path))
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
        raise ReadError("ingest.empty_file", file=str(path)) from None

    def rows() -> Iterator[tuple[int, dict[str, object]]]:
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(headers):
                    extra = [v for v in values[len(headers) :] if v.strip()]
                    if extra:
                        raise ReadError(
                            "ingest.too_many_cells",
                            file=str(path),
                            row=number,
                            cells=len(values),
                            headers=len(headers),
                        )
                # a value our exports escaped against formula injection comes back as it was
                yield number, {h: _clean(unescape_cell(v)) for h, v in zip(headers, values, strict=False)}
        finally:
            fh.close()

    return TableFile(path, encoding, headers), rows()


def iter_xlsx(path: Path, sheet: str | None = None) -> tuple[TableFile, Iterator[tuple[int, dict[str, object]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ReadError("ingest.bad_xlsx", file=str(path), detail=_first_line(exc)) from exc
    if sheet and sheet not in wb.sheetnames:
        names = ", ".join(wb.sheetnames)
        wb.close()
        raise ReadError("ingest.no_such_sheet", file=str(path), sheet=sheet, sheets=names)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header_row = next(it)
    except StopIteration:
        wb.close()
        raise ReadError("ingest.empty_sheet", file=str(path), sheet=ws.title) from None
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


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def open_table(path: Path, sheet: str | None = None) -> tuple[TableFile, Iterator[tuple[int, dict[str, object]]]]:
    """Open a CSV or XLSX file by its extension."""
    if not path.exists():
        raise ReadError("ingest.no_such_file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return iter_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return iter_csv(path)
    raise ReadError("ingest.unsupported_type", file=str(path), suffix=suffix)
