"""Zip bombs and lying archives refused from the zip directory, before anything inflates."""

from __future__ import annotations

import resource
import time
import zipfile

import pytest

from chiiki.ingest import archive
from chiiki.ingest.readers import ReadError, open_table


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def test_a_1_mb_xlsx_bomb_is_refused_at_once_with_flat_memory(corpus) -> None:
    path = corpus.bomb(gigabytes=1.1)
    assert path.stat().st_size < 1.5 * 2**20  # 1.1 GB of sheet XML in ~1.1 MB
    before = _peak_mb()
    started = time.perf_counter()
    with pytest.raises(ReadError) as exc:
        info, rows = open_table(path)
        list(rows)
    elapsed = time.perf_counter() - started
    assert exc.value.message.code == "ingest.archive_member_too_large"
    assert exc.value.message.params["member"] == "xl/worksheets/sheet1.xml"
    assert elapsed < 1.0  # generous: it reads a directory of five entries
    assert _peak_mb() - before < 200


def test_caps_are_parameters_for_other_archive_readers(corpus) -> None:
    path = corpus.xlsx("ok.xlsx", {"S": [["a"], [1]]})
    archive.check_archive(path)  # a normal workbook passes the defaults
    with pytest.raises(ReadError) as exc:
        archive.check_archive(path, label="upload.xlsx", max_member=100)
    assert exc.value.message.code == "ingest.archive_member_too_large"
    assert exc.value.message.params["file"] == "upload.xlsx"
    with pytest.raises(ReadError) as exc:
        archive.check_archive(path, max_total=1500)
    assert exc.value.message.code in {"ingest.archive_too_large", "ingest.archive_member_too_large"}


def test_a_high_ratio_member_is_refused(corpus) -> None:
    path = corpus.bomb("ratio.xlsx", gigabytes=0.05)  # 50 MB under the member cap, ratio ~1000:1
    with pytest.raises(ReadError) as exc:
        archive.check_archive(path, max_member=2**30, max_total=2**31)
    assert exc.value.message.code == "ingest.archive_ratio"


def test_a_member_that_inflates_past_its_declared_size_is_refused_bounded(corpus) -> None:
    path = corpus.bomb("liar.xlsx", gigabytes=0.2, declared=4000)
    before = _peak_mb()
    with pytest.raises(ReadError) as exc:
        info, rows = open_table(path)
        list(rows)
    assert exc.value.message.code in {"ingest.bad_xlsx", "ingest.archive_lied", "ingest.bad_xlsx_row"}
    assert _peak_mb() - before < 200


def test_bounded_stream_stops_past_its_limit(corpus) -> None:
    path = corpus.xlsx("b.xlsx", {"S": [["a"], [1]]})
    with zipfile.ZipFile(path) as zf:
        with archive.bounded(zf, "xl/worksheets/sheet1.xml", "b.xlsx", limit=50) as src:
            with pytest.raises(ReadError) as exc:
                src.read()
    assert exc.value.message.code == "ingest.archive_lied"


def test_zip_encryption_and_non_zips(corpus) -> None:
    path = corpus.xlsx("e.xlsx", {"S": [["a"], [1]]})
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag bit in every central directory entry
    i = data.find(b"PK\x01\x02")
    while i != -1:
        data[i + 8] |= 0x1
        i = data.find(b"PK\x01\x02", i + 4)
    enc = corpus.path("enc.xlsx")
    enc.write_bytes(bytes(data))
    with pytest.raises(ReadError) as exc:
        archive.check_archive(enc)
    assert exc.value.message.code == "ingest.archive_encrypted"
    with pytest.raises(ReadError) as exc:
        archive.check_archive(corpus.csv("t.docx", "plain text"))
    assert exc.value.message.code == "ingest.archive_not_zip"
    with pytest.raises(ReadError) as exc:
        archive.check_archive(corpus.ole("x.docx", encrypted=True))
    assert exc.value.message.code == "ingest.archive_encrypted"
