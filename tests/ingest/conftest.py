"""The bad-input corpus: real files as people have them and as attackers build them.

XLSX files are made with openpyxl where it can produce the case, and as raw zip/XML where it
cannot (a lying ``<dimension>``, a formula without a cached value, a bomb, a lying size);
CSV files as bytes (CP932 included); OLE files as the magic number and directory entry Office
writes. Each builder returns the path of a file in the test's temporary folder.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{SHEET_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: Iterable[str], dimension: str | None = None, tail: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{SHEET_NS}">{dim}<sheetData>{"".join(rows)}</sheetData>{tail}</worksheet>'


def row_xml(number: int, cells: list[object]) -> str:
    from openpyxl.utils import get_column_letter

    inner = "".join(inline(f"{get_column_letter(i + 1)}{number}", v) for i, v in enumerate(cells) if v is not None)
    return f'<row r="{number}">{inner}</row>'


def raw_xlsx(path: Path, sheet: str) -> Path:
    """A minimal XLSX whose sheet XML is exactly ``sheet`` (what openpyxl would never write)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def hand_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand from (name, raw deflate data, crc, declared size): the directory
    may state any size, as an attacker's would."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0,
            offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _small(name: str, text: str) -> tuple[str, bytes, int, int]:
    data = text.encode()
    return name, _deflate(data), zlib.crc32(data), len(data)


def bomb_xlsx(path: Path, gigabytes: float = 1.1, declared: int | None = None) -> Path:
    """An XLSX of ~1 MB whose sheet XML inflates to ``gigabytes`` GB of blanks.

    Built without inflating anything: a 1 MB block of blanks is deflated once with a full flush,
    which makes its output independent of what came before, so the member is that output
    repeated; the CRC is computed over the block repeated. ``declared`` makes the directory
    lie about the size."""
    block = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    head = f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
    end = b"</sheetData></worksheet>"
    n = int(gigabytes * 1024)
    c2 = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_data = c2.compress(head) + c2.flush(zlib.Z_FULL_FLUSH)
    tail_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail_data = tail_c.compress(end) + tail_c.flush()
    data = head_data + first + again * (n - 1) + tail_data
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(end, crc)
    size = len(head) + n * len(block) + len(end)
    members = [
        _small("[Content_Types].xml", CONTENT_TYPES),
        _small("_rels/.rels", ROOT_RELS),
        _small("xl/workbook.xml", WORKBOOK),
        _small("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", data, crc, size if declared is None else declared),
    ]
    return hand_zip(path, members)


def ole_file(path: Path, encrypted: bool) -> Path:
    """An OLE compound file as Office writes it: the magic number, and for an encrypted OOXML
    file the ``EncryptedPackage`` stream's name in a directory sector (UTF-16)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    name = "EncryptedPackage" if encrypted else "Workbook"
    entry = name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    path.write_bytes(header + entry + b"\x00" * 4096)
    return path


class Corpus:
    sheet_xml = staticmethod(sheet_xml)
    row_xml = staticmethod(row_xml)

    def __init__(self, base: Path) -> None:
        self.base = base

    def path(self, name: str) -> Path:
        return self.base / name

    def csv(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        p = self.base / name
        p.write_bytes(text.encode(encoding))
        return p

    def xlsx(
        self, name: str, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
    ) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
            for ref in (merges or {}).get(title, []):
                ws.merge_cells(ref)
        p = self.base / name
        wb.save(p)
        return p

    def raw_xlsx(self, name: str, sheet: str) -> Path:
        return raw_xlsx(self.base / name, sheet)

    def bomb(self, name: str = "bomb.xlsx", gigabytes: float = 1.1, declared: int | None = None) -> Path:
        return bomb_xlsx(self.base / name, gigabytes, declared)

    def ole(self, name: str, encrypted: bool) -> Path:
        return ole_file(self.base / name, encrypted)


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return Corpus(tmp_path)


def read_all(path: Path, **kwargs: object) -> tuple[object, list[tuple[int, dict[str, object]]]]:
    from chiiki.ingest.readers import open_table

    info, rows = open_table(path, **kwargs)  # type: ignore[arg-type]
    return info, list(rows)


@pytest.fixture
def read() -> object:
    return read_all
