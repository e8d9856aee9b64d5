"""Streaming readers for CSV (UTF-8, UTF-8 with BOM, CP932/Shift_JIS) and XLSX that find the table.

Rows are yielded one at a time with their number as the user sees it (the spreadsheet row, or
the CSV line where the record started), so an error can say "row 5,127" and a 100,000-row file
never has to fit in memory.

Files as people have them: a government list has a title row, a note row and a blank row above
its header, its data may be on the second sheet, 事業名 cells are merged over the rows they
cover. The header row is the first row the caller's ``is_header`` accepts (``header_row`` and
``sheet`` override); merged ranges are filled down from their first row, with a notice naming
them. Files built to break a reader are refused with a file/row/column/reason line, never a raw
exception and never silent loss: an unbalanced quote that swallows the following lines, ragged
rows, duplicate headers, a formula without a saved value, a lying ``<dimension>`` (never read:
rows are streamed from the sheet XML as they are), an encrypted or renamed file, a zip bomb.

XLSX sheets are parsed with openpyxl's own streaming sheet parser (``WorkSheetParser``, pinned
by requirements.lock) rather than ``ReadOnlyWorksheet.iter_rows``: the latter trusts
``<dimension>``, cannot tell a formula without a cached value from an empty cell, and does not
expose merged ranges in read-only mode.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiiki.i18n import Message, msg, render
from chiiki.ingest.formulas import unescape_cell

_CHUNK = 1 << 16
CSV_SUFFIXES = (".csv", ".txt", ".tsv", "")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
Rows = Iterator[tuple[int, dict[str, object]]]
HeaderTest = Callable[[list[str]], bool]


class ReadError(Exception):
    """A file that cannot be read as a table; ``message`` (code ``ingest.*``) names the file, and
    where known the row, the column and the reason, in the reader's language when rendered;
    ``str()`` is the English text."""

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
    sheet: str | None = None
    header_row: int = 1
    notices: list[Message] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 26 → AA)."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


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


def _header_texts(values: list[object]) -> list[str]:
    return [str(v).strip() if v is not None and v is not _NO_CACHE else "" for v in values]


def _check_headers(file: str, headers: list[str], row: int, sheet: str | None) -> list[Message]:
    """Duplicate headers are an error (which column would win?); an empty header among named
    ones is a notice (its cells are not read)."""
    from chiiki.ingest.normalize import nfkc

    seen: dict[str, int] = {}
    notices: list[Message] = []
    last = max((i for i, h in enumerate(headers) if h), default=-1)
    for i, header in enumerate(headers):
        if not header:
            if i < last:
                notices.append(msg("ingest.empty_header", "warning", file=file, row=row, column=column_letter(i)))
            continue
        key = nfkc(header).strip()
        if key in seen:
            raise ReadError(
                "ingest.duplicate_header",
                file=file,
                row=row,
                header=header,
                columns=f"{column_letter(seen[key])}, {column_letter(i)}",
            )
        seen[key] = i
    return notices


def _found_notices(file: str, row: int, sheet: str | None, skipped: list[str]) -> list[Message]:
    notices = []
    if skipped:
        notices.append(msg("ingest.sheet_chosen", "info", file=file, sheet=sheet, skipped=", ".join(skipped)))
    if row != 1:
        if sheet is None:
            notices.append(msg("ingest.header_found", "info", file=file, row=row))
        else:
            notices.append(msg("ingest.header_found_sheet", "info", file=file, row=row, sheet=sheet))
    return notices


# --- CSV -------------------------------------------------------------------------------------


def _csv_error(file: str, line: int, exc: csv.Error) -> ReadError:
    from chiiki.ingest.archive import MAX_CELL_CHARS

    text = str(exc)
    if "field larger than field limit" in text:
        return ReadError("ingest.cell_too_long_line", file=file, row=line, limit=MAX_CELL_CHARS)
    if "unexpected end of data" in text:
        return ReadError("ingest.unclosed_quote", file=file, row=line)
    if "expected after" in text:
        return ReadError("ingest.bad_quote", file=file, row=line)
    return ReadError("ingest.bad_csv", file=file, row=line, detail=text)


def _swallowed(values: list[str], delimiter: str, threshold: int) -> int | None:
    """The column of a quoted cell that swallowed whole records (a line of it holds as many
    delimiters as a record), or None. A note with line breaks is legitimate; a cell whose
    lines look like rows of the table is an unbalanced quote."""
    for i, value in enumerate(values):
        if "\n" in value or "\r" in value:
            for line in value.splitlines()[1:]:
                if line.count(delimiter) >= threshold:
                    return i
    return None


def _csv_header(
    file: str,
    reader: Any,
    header_row: int | None,
    is_header: HeaderTest | None,
    max_scan: int,
) -> tuple[list[str], int, int] | int:
    """(headers, header line, line number read so far), the records above the header skipped;
    or, when ``is_header`` accepts no record within ``max_scan``, the last line looked at."""
    prev = 0
    scanned = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            if prev == 0:
                raise ReadError("ingest.empty_file", file=file) from None
            if header_row is not None:
                raise ReadError("ingest.header_row_empty", file=file, row=header_row, sheet="-") from None
            if scanned == 0:
                raise ReadError("ingest.empty_file", file=file) from None
            return prev
        except csv.Error as exc:
            raise _csv_error(file, prev + 1, exc) from None
        start, prev = prev + 1, reader.line_num
        if header_row is not None:
            if start == header_row:
                return [h.strip() for h in values], start, prev
            if start > header_row:
                raise ReadError("ingest.header_row_empty", file=file, row=header_row, sheet="-")
            continue
        if not any(v.strip() for v in values):
            continue
        cells = [h.strip() for h in values]
        if is_header is None or is_header(cells):
            return cells, start, prev
        scanned += 1
        if scanned >= max_scan:
            return prev


def iter_csv(
    path: Path,
    header_row: int | None = None,
    is_header: HeaderTest | None = None,
    max_scan: int = 30,
) -> tuple[TableFile, Rows]:
    from chiiki.ingest.archive import MAX_CELL_CHARS

    file = str(path)
    encoding = detect_encoding(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    fh = path.open("r", encoding=encoding, newline="")
    # strict: an unterminated quote at the end of the file is an error, not one huge last cell
    reader = csv.reader(fh, delimiter=delimiter, strict=True)
    notices: list[Message] = []
    try:
        found = _csv_header(file, reader, header_row, is_header, max_scan)
        if isinstance(found, int):  # no row looked like a header: row 1 is, as it always was
            notices.append(msg("ingest.header_fallback", "warning", file=file, where=f"1–{found}"))
            fh.close()
            fh = path.open("r", encoding=encoding, newline="")
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            found = _csv_header(file, reader, None, None, max_scan)
        assert not isinstance(found, int)
        headers, at, line = found
        notices += _check_headers(file, headers, at, None) + _found_notices(file, at, None, [])
    except BaseException:
        fh.close()
        raise
    n = len(headers)
    core = n
    while core and not headers[core - 1]:
        core -= 1  # trailing empty headers (a trailing comma) need no cell
    threshold = max(2, core - 1)

    def rows() -> Rows:
        prev = line
        try:
            for values in reader:
                start = prev + 1
                prev = reader.line_num
                if prev != start and (col := _swallowed(values, delimiter, threshold)) is not None:
                    raise ReadError(
                        "ingest.unbalanced_quote", file=file, row=start, column=column_letter(col), end=prev
                    )
                joined = "".join(values)  # one string: blank test and length cap in C, not per cell
                if not joined.strip():
                    continue
                if len(values) != n:
                    if len(values) < core:
                        raise ReadError("ingest.too_few_cells", file=file, row=start, cells=len(values), headers=core)
                    if len(values) > n and any(v.strip() for v in values[n:]):
                        raise ReadError("ingest.too_many_cells", file=file, row=start, cells=len(values), headers=n)
                if len(joined) > MAX_CELL_CHARS and max(map(len, values)) > MAX_CELL_CHARS:
                    col = next(i for i, v in enumerate(values) if len(v) > MAX_CELL_CHARS)
                    raise ReadError(
                        "ingest.cell_too_long",
                        file=file,
                        row=start,
                        column=column_letter(col),
                        length=len(values[col]),
                        limit=MAX_CELL_CHARS,
                    )
                # a value our exports escaped against formula injection comes back as it was
                yield start, {h: _clean(unescape_cell(v)) for h, v in zip(headers, values, strict=False)}
        except csv.Error as exc:
            raise _csv_error(file, prev + 1, exc) from None
        finally:
            fh.close()

    return TableFile(path, encoding, headers, None, at, notices), rows()


# --- XLSX ------------------------------------------------------------------------------------


class _NoCache:
    """Marks a formula cell that has no saved (cached) value."""

    def __repr__(self) -> str:
        return "<formula without a cached value>"


_NO_CACHE = _NoCache()
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}\d+)(?::([A-Za-z]{1,3}\d+))?"')
_REF_RE = re.compile(r"^([A-Za-z]{1,3})(\d+)$")


def _ref(text: str) -> tuple[int, int]:
    """'C7' → (row 7, 0-based column 2)."""
    m = _REF_RE.match(text)
    if not m:
        raise ValueError(text)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col - 1


@dataclass(frozen=True)
class _Merge:
    ref: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int


def _merged_ranges(zf: zipfile.ZipFile, member: str, file: str) -> list[_Merge]:
    """The merged ranges of a sheet, read from its XML before the rows are.

    ``<mergeCells>`` comes after ``<sheetData>``, so filling down while streaming needs them
    first: the member is inflated in chunks and searched for ``<mergeCell ref=…>`` (a byte
    search, no XML parse; the inflated size is bounded by the archive caps)."""
    from chiiki.ingest.archive import bounded

    found: dict[str, _Merge] = {}
    tail = b""
    try:
        with bounded(zf, member, file) as src:
            while chunk := src.read(1 << 20):
                data = tail + chunk
                for m in _MERGE_RE.finditer(data):
                    a = m.group(1).decode("ascii")
                    b = (m.group(2) or m.group(1)).decode("ascii")
                    (r1, c1), (r2, c2) = _ref(a), _ref(b)
                    ref = f"{a}:{b}" if m.group(2) else a
                    found[ref] = _Merge(ref, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
                tail = data[-300:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:  # a CRC that fails, a cut stream
        raise ReadError("ingest.bad_xlsx", file=file, detail=_first_line(exc)) from None
    return sorted(found.values(), key=lambda r: (r.min_row, r.min_col))


def _parser_class() -> type:
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's sheet parser, marking formulas whose value was never saved."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            # a formula with no <v>, or an empty <v> that is not a cached empty string (t="str")
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cached = element.findtext(VALUE_TAG)
                if cached is None or (not cached and element.get("t", "n") != "str"):
                    cell["value"] = _NO_CACHE
            return cell

    return _Parser


class _Sheet:
    """One sheet's physical rows, streamed: (row number, values by 0-based column)."""

    def __init__(self, wb: Any, ws: Any, file: str) -> None:
        from chiiki.ingest.archive import bounded

        self.title: str = ws.title
        self.file = file
        self.member: str = ws._worksheet_path
        zf: zipfile.ZipFile = wb._archive
        self.merges = _merged_ranges(zf, self.member, file)
        self._src = bounded(zf, self.member, file)
        parser = _parser_class()(
            self._src,
            wb.shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        self._rows = parser.parse()
        self.last = 0

    def __iter__(self) -> Iterator[tuple[int, list[object]]]:
        return self

    def __next__(self) -> tuple[int, list[object]]:
        try:
            number, cells = next(self._rows)
        except (StopIteration, ReadError):
            raise
        except Exception as exc:  # a broken sheet: XML, shared-string index, number format …
            raise ReadError(
                "ingest.bad_xlsx_row", file=self.file, sheet=self.title, row=self.last + 1, detail=_first_line(exc)
            ) from None
        self.last = number
        width = max((c["column"] for c in cells), default=0)
        values: list[object] = [None] * width
        for c in cells:
            values[c["column"] - 1] = c["value"]
        return number, values

    def close(self) -> None:
        self._src.close()


def _find_header(
    sheet: _Sheet, header_row: int | None, is_header: HeaderTest | None, max_scan: int
) -> tuple[int, list[object]] | None:
    """The header row of ``sheet`` (number, values), or None when it has none in range."""
    for number, values in sheet:
        if header_row is not None:
            if number == header_row:
                return number, values
            if number > header_row:
                return None
            continue
        if number > max_scan:
            return None
        texts = _header_texts(values)
        if not any(texts):
            continue
        if is_header is None or is_header(texts):
            return number, values
    return None


def _choose_sheet(
    wb: Any, file: str, sheet: str | None, header_row: int | None, is_header: HeaderTest | None, max_scan: int
) -> tuple[_Sheet, int, list[object], list[Message]]:
    """The sheet, the header row's number and values, and the notices saying how they were found."""
    if sheet is not None and sheet not in wb.sheetnames:
        raise ReadError("ingest.no_such_sheet", file=file, sheet=sheet, sheets=", ".join(wb.sheetnames))
    worksheets = [wb[sheet]] if sheet is not None else list(wb.worksheets)
    if not worksheets:
        raise ReadError("ingest.empty_sheet", file=file, sheet="-")
    if header_row is not None:
        worksheets = worksheets[:1]
    looked: list[str] = []
    skipped: list[str] = []
    for ws in worksheets:
        s = _Sheet(wb, ws, file)
        try:
            found = _find_header(s, header_row, is_header, max_scan)
        except BaseException:
            s.close()
            raise
        if found is not None:
            return s, found[0], found[1], _found_notices(file, found[0], ws.title, skipped)
        s.close()
        skipped.append(ws.title)
        looked.append(f"{ws.title} 1–{min(s.last, max_scan) if header_row is None else header_row}")
    if header_row is not None:
        raise ReadError("ingest.header_row_empty", file=file, row=header_row, sheet=worksheets[0].title)
    if is_header is not None:  # no row looked like a header: the first row is, as it always was
        s, number, values, notices = _choose_sheet(wb, file, sheet, None, None, max_scan)
        notice = msg("ingest.header_fallback", "warning", file=file, where="; ".join(looked))
        return s, number, values, [notice, *notices]
    raise ReadError("ingest.empty_sheet", file=file, sheet=", ".join(ws.title for ws in worksheets))


def _check_cells(file: str, sheet: str, number: int, values: list[object], width: int) -> None:
    from chiiki.ingest.archive import MAX_CELL_CHARS

    for i, v in enumerate(values[:width]):
        if v is _NO_CACHE:
            raise ReadError("ingest.formula_no_value", file=file, sheet=sheet, cell=f"{column_letter(i)}{number}")
        if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
            raise ReadError(
                "ingest.cell_too_long",
                file=file,
                row=number,
                column=column_letter(i),
                length=len(v),
                limit=MAX_CELL_CHARS,
            )


def iter_xlsx(
    path: Path,
    sheet: str | None = None,
    header_row: int | None = None,
    is_header: HeaderTest | None = None,
    max_scan: int = 30,
) -> tuple[TableFile, Rows]:
    from openpyxl import load_workbook

    from chiiki.ingest.archive import check_archive

    file = str(path)
    check_archive(path)  # caps checked from the zip directory before anything inflates
    raw = path.open("rb")  # a file object: openpyxl would refuse a path named .csv by its name
    try:
        wb = load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raw.close()
        raise ReadError("ingest.bad_xlsx", file=file, detail=_first_line(exc)) from None

    def close() -> None:
        wb.close()
        raw.close()

    try:
        s, at, header_values, found = _choose_sheet(wb, file, sheet, header_row, is_header, max_scan)
    except BaseException:
        close()
        raise
    try:
        _check_cells(file, s.title, at, header_values, len(header_values))
        headers = _header_texts(header_values)
        notices = _check_headers(file, headers, at, s.title) + found
    except BaseException:
        s.close()
        close()
        raise
    merges = [m for m in s.merges if m.max_row > m.min_row and m.min_row > at]
    if merges:
        shown = [m.ref for m in merges[:20]] + ([f"(+{len(merges) - 20})"] if len(merges) > 20 else [])
        notices.append(msg("ingest.merged_filled", "info", file=file, sheet=s.title, ranges=", ".join(shown)))
    width = len(headers)

    def rows() -> Rows:
        starts: dict[int, list[_Merge]] = {}
        for m in merges:
            starts.setdefault(m.min_row, []).append(m)
        active: list[tuple[_Merge, list[object]]] = []
        try:
            for number, values in s:
                if active:
                    active = [(m, fill) for m, fill in active if m.max_row >= number]
                cleaned = [_clean(v) for v in values]
                if all(v is None for v in cleaned):
                    continue
                _check_cells(file, s.title, number, values, width)
                for m, fill in active:
                    if len(cleaned) <= m.max_col:
                        cleaned.extend([None] * (m.max_col + 1 - len(cleaned)))
                    for c in range(m.min_col, m.max_col + 1):
                        if cleaned[c] is None:
                            cleaned[c] = fill[c - m.min_col]
                for m in starts.get(number, ()):
                    top = cleaned[m.min_col : m.max_col + 1]
                    active.append((m, top + [None] * (m.max_col - m.min_col + 1 - len(top))))
                yield number, {h: v for h, v in zip(headers, cleaned, strict=False) if h}
        finally:
            s.close()
            close()

    return TableFile(path, None, headers, s.title, at, notices), rows()


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def open_table(
    path: Path | str,
    sheet: str | None = None,
    header_row: int | None = None,
    is_header: HeaderTest | None = None,
    max_scan: int = 30,
) -> tuple[TableFile, Rows]:
    """Open a CSV or XLSX file (by its content first, then its extension) and find its table.

    ``is_header`` (given the row's cells as stripped strings) picks the header row when
    ``header_row`` is None: the first row within ``max_scan`` rows for which it is true, on the
    named sheet or else the first sheet that has one; without it, the header is row 1.
    """
    from chiiki.ingest.archive import refuse_ole, sniff

    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise ReadError("ingest.no_such_file", file=file)
    if header_row is not None and header_row < 1:
        raise ReadError("ingest.header_row_empty", file=file, row=header_row, sheet=sheet or "-")
    suffix = path.suffix.lower()
    try:
        kind = sniff(path)
    except OSError as exc:
        raise ReadError("ingest.bad_file", file=file, detail=_first_line(exc)) from None
    if kind == "ole":
        refuse_ole(path, file)  # an encrypted XLSX, or an .xls under any name
    if suffix in XLSX_SUFFIXES or (kind == "zip" and suffix in CSV_SUFFIXES):
        return iter_xlsx(path, sheet, header_row, is_header, max_scan)
    if suffix in CSV_SUFFIXES:
        return iter_csv(path, header_row, is_header, max_scan)
    raise ReadError("ingest.unsupported_type", file=file, suffix=suffix)
