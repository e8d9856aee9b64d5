"""Files we write appear whole or not at all: written under a temporary name in the same folder,
flushed to disk, then renamed over the target (``os.replace`` is atomic on POSIX and Windows).

An interrupted export, a report on a full disk or a killed backup therefore never leaves a
truncated file where the user expects a complete one; the partial temporary file is removed.
No library in DEPENDENCIES.md does this for text, bytes and "let a library save to a path"
(openpyxl, WeasyPrint, matplotlib) alike, and it is a dozen lines.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it is fsynced and renamed to ``path``.

    For libraries that save to a file name themselves (``wb.save(tmp)``, ``fig.savefig(tmp)``).
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the file should look like any other
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_open(
    path: Path | str, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:  # type: ignore[type-arg]
    """``open()`` for writing whose result appears under ``path`` only when the block completes."""
    binary = "b" in mode
    with atomic_path(path) as tmp:
        with tmp.open(mode, encoding=None if binary else encoding, newline=None if binary else newline) as fh:
            yield fh


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
