"""Zip archives (XLSX, DOCX, QDPX) checked before anything parses them, and the cell length cap.

Why: a 1.1 MB XLSX whose sheet is gigabytes of repeated bytes inflates to gigabytes of memory
in openpyxl, python-docx or lxml, which all trust the archive. The zip central directory states
each member's uncompressed size, so a bomb is refused from the directory alone, before one byte
is inflated: caps on each member, on the total, and on the compression ratio of large members.
A size could lie (the directory says 100 bytes, the data inflates to gigabytes): Python's
``zipfile`` stops a member at its declared size and then fails the CRC check, and
:func:`bounded` wraps a member stream for readers that must be sure (it raises past a limit).

Encrypted Office files are not zips at all but OLE compound files (``D0 CF 11 E0``) with an
``EncryptedPackage`` stream; old ``.xls``/``.doc`` files are OLE files too. Both are named as
such instead of "not a zip file". Written by hand because it is a directory walk and a magic
number: the libraries that read these formats do not check sizes, and no small library does.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from chiiki.ingest.readers import ReadError

MAX_MEMBER_BYTES = 256 * 2**20  # one member, uncompressed (a 100k-row sheet is ~50 MB)
MAX_TOTAL_BYTES = 512 * 2**20  # all members, uncompressed
MAX_RATIO = 1000  # uncompressed / compressed, for members past RATIO_FLOOR bytes
RATIO_FLOOR = 8 * 2**20
MAX_MEMBERS = 20_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_SCAN_CHUNK = 1 << 20
_OLE_SCAN_LIMIT = 64 * 2**20


def sniff(path: Path) -> str:
    """``"zip"``, ``"ole"`` or ``"other"`` from the file's first bytes."""
    with Path(path).open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head == OLE_MAGIC:
        return "ole"
    return "other"


def _is_encrypted_ole(path: Path) -> bool:
    """An OLE file holding an ``EncryptedPackage`` stream (a password-protected XLSX/DOCX).

    The stream's name is in a directory sector as UTF-16; scanned in chunks with an overlap so a
    name across two chunks is found, and only in the first 64 MB (directories come early)."""
    keep = len(_ENCRYPTED_STREAM)
    tail = b""
    read = 0
    with Path(path).open("rb") as fh:
        while read < _OLE_SCAN_LIMIT and (chunk := fh.read(_SCAN_CHUNK)):
            read += len(chunk)
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-keep:]
    return False


def refuse_ole(path: Path, name: str) -> None:
    """Raise the error an OLE file deserves: encrypted Office file, or an old binary format."""
    code = "ingest.archive_encrypted" if _is_encrypted_ole(path) else "ingest.archive_ole"
    raise ReadError(code, file=name)


def check_archive(
    path: Path,
    *,
    label: str | None = None,
    max_member: int | None = None,
    max_total: int | None = None,
) -> None:
    """Refuse, from the zip directory alone, an archive that is not a zip, is encrypted, or would
    inflate past the caps (each member, the total, the ratio of a large member)."""
    path = Path(path)
    name = label or str(path)
    member_cap = MAX_MEMBER_BYTES if max_member is None else max_member
    total_cap = MAX_TOTAL_BYTES if max_total is None else max_total
    kind = sniff(path)
    if kind == "ole":
        refuse_ole(path, name)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError("ingest.archive_not_zip", file=name, detail=_first_line(exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise ReadError("ingest.archive_too_many", file=name, n=len(infos), limit=MAX_MEMBERS)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("ingest.archive_encrypted", file=name)
        size = info.file_size
        if size > member_cap:
            raise ReadError(
                "ingest.archive_member_too_large", file=name, member=info.filename, size=size, limit=member_cap
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise ReadError("ingest.archive_ratio", file=name, member=info.filename, ratio=ratio, limit=MAX_RATIO)
        total += size
        if total > total_cap:
            raise ReadError("ingest.archive_too_large", file=name, size=total, limit=total_cap)


class BoundedStream:
    """A member stream that raises :class:`ReadError` once more than ``limit`` bytes come out.

    For readers that inflate a member themselves: even if a directory entry lied, memory and
    time stay bounded by the cap (``zipfile`` also stops at the declared size and checks CRC)."""

    def __init__(self, raw: IO[bytes], limit: int, file: str, member: str) -> None:
        self._raw = raw
        self._left = limit
        self._limit = limit
        self._file = file
        self._member = member

    def read(self, n: int = -1) -> bytes:
        want = self._left + 1 if n is None or n < 0 else min(n, self._left + 1)
        data = self._raw.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise ReadError("ingest.archive_lied", file=self._file, member=self._member, size=self._limit)
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> BoundedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bounded(zf: zipfile.ZipFile, member: str, file: str, limit: int | None = None) -> BoundedStream:
    """Open ``member`` of ``zf`` for reading, bounded by its declared size (or ``limit``)."""
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise ReadError("ingest.archive_missing_member", file=file, member=member) from None
    cap = min(info.file_size, MAX_MEMBER_BYTES) if limit is None else limit
    return BoundedStream(zf.open(info), cap, file, member)


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
