"""Import transcripts and other texts (.txt, .md, .docx) as documents, with speaker turns.

Encodings: Japanese files from Windows are often CP932; detectors misread short CP932 text, so
we try ``utf-8-sig`` (which also takes plain UTF-8), then ``cp932``, and only then ask
charset-normalizer. Line ends become ``\\n`` before anything is stored, so every offset (speaker
turns, coded segments, REFI-QDA selections) refers to the same string.

Identity: a document's ``content_hash`` is the SHA-256 of its normalized text
(:func:`content_hash`). The same text into the same hearing again is a no-op (the caller says so);
the same text anywhere else is refused, naming the document that has it, so no statistic counts a
transcript twice.

Hostile files: a .docx is a zip; its members' uncompressed sizes are checked against the archive
caps (:func:`chiiki.ingest.archive.check_archive`) before python-docx inflates anything.

Privacy: transcript text is never logged or put into an error message.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import DecodeError, DuplicateDocumentError, UnsupportedFormatError, choice
from chiiki.model.enums import SourceType
from chiiki.model.hearings import Document, Hearing, SpeakerTurn

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
# Put in the title of made-up documents so they are never mistaken for real records (data).
SAMPLE_MARK = "【サンプル】"
# Source types whose documents hold personal data unless the importer says otherwise.
PERSONAL_SOURCE_TYPES = (SourceType.TRANSCRIPT.value, SourceType.NOTES.value)
DOCX_SUFFIXES = (".docx",)
# Uncompressed size caps of a .docx: python-docx parses word/document.xml into an lxml tree several
# times its size, and a long transcript's document.xml is a few MB (images are other members).
DOCX_MAX_MEMBER = 64 * 2**20
DOCX_MAX_TOTAL = 256 * 2**20

# A speaker label at the start of a line: 【A】, （鶴岡市）/(鶴岡市), "佐藤（鶴岡市役所）：",
# or "A:" / "Ａ：" / "聞き手：".
_LABEL_RE = re.compile(
    r"^[ \t\u3000]*(?:"
    r"【(?P<b>[^】\n]{1,30})】"
    r"|[（(](?P<p>[^）)\n]{1,30})[）)]"
    r"|(?P<d>[^\s:：【】（()）。、「」]{1,20}[（(][^）)\n]{1,30}[）)])[:：]"
    r"|(?P<c>[^\s:：【】（()）。、「」]{1,20})[:：](?!//)"
    r")[ \t\u3000]*"
)

# A timestamp before the label ("[00:01:30] 山田：…") is skipped: it is not a speaker, and taken as
# one ("[00") the masking of known names would turn every timestamp into a pseudonym.
_TIME_RE = re.compile(
    r"[ \t\u3000]*[\[［(（]?[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?[\]］)）]?[ \t\u3000]*"
)

# Labels that mark something other than a speaker (a sample marker, a note, a URL scheme).
_NOT_SPEAKERS = frozenset({"サンプル", "sample", "注", "備考", "メモ", "http", "https", "出典"})


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` for UTF-8, UTF-8 with BOM, CP932, or what charset-normalizer finds."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("hearings.decode_failed")
    return str(best), best.encoding


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """SHA-256 (hex) of a text as compared for identity: ``\\n`` line ends, Unicode NFC, surrounding
    white space stripped. (Migration 20261202_02 backfills with a copy of this; change both.)"""
    normalized = unicodedata.normalize("NFC", normalize_newlines(text)).strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def read_docx(path: Path) -> str:
    """The text of a Word file in document order: paragraphs, and each table row as its cells
    joined by tabs, where they stand (a table between two paragraphs stays between them).

    The file's archive members are checked against the size caps first (a .docx bomb is refused
    before python-docx inflates it).
    """
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from chiiki.ingest.archive import check_archive

    check_archive(path, label=path.name, max_member=DOCX_MAX_MEMBER, max_total=DOCX_MAX_TOTAL)
    d = docx.Document(str(path))
    parts: list[str] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(block, d).text)
        elif tag == "tbl":
            for row in Table(block, d).rows:
                parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


def read_document_file(path: str | Path) -> tuple[str, str]:
    """``(text, encoding)`` of a .txt/.md/.docx file with ``\\n`` line ends."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return normalize_newlines(read_docx(p)), "docx"
    if suffix in TEXT_SUFFIXES or suffix == "":
        text, enc = decode_bytes(p.read_bytes())
        return normalize_newlines(text), enc
    raise UnsupportedFormatError("hearings.unsupported_file", suffix=suffix or p.name)


@dataclass(frozen=True)
class Turn:
    """A speaker turn: ``text[start:end]`` is what the speaker said (label excluded)."""

    order: int
    speaker: str
    start: int
    end: int


def split_speaker_turns(text: str, min_turns: int = 2) -> list[Turn]:
    """Speaker turns where lines start with a label (``A:``, ``Ａ：``, ``【A】``, ``（鶴岡市）``).

    A turn runs until the next labelled line. Fewer than ``min_turns`` labelled lines means the
    text is not a turn-structured transcript (a stray "注:" is not a speaker) and gives ``[]``.
    """
    marks: list[tuple[str, int, int]] = []  # (speaker, line start, utterance start)
    pos = 0
    for line in text.split("\n"):
        t = _TIME_RE.match(line)
        skip = t.end() if t and t.end() < len(line) else 0
        rest = line[skip:]
        m = _LABEL_RE.match(rest)
        if m and m.end() < len(rest.rstrip()):
            label = (m.group("b") or m.group("p") or m.group("d") or m.group("c")).strip()
            if unicodedata.normalize("NFKC", label).lower() not in _NOT_SPEAKERS:
                marks.append((label, pos, pos + skip + m.end()))
        pos += len(line) + 1
    if len(marks) < min_turns:
        return []
    turns = []
    for i, (speaker, _line_start, utt_start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else len(text)
        while end > utt_start and text[end - 1].isspace():
            end -= 1
        turns.append(Turn(order=i + 1, speaker=speaker, start=utt_start, end=end))
    return turns


def add_document(
    session: Session,
    text: str,
    title: str,
    *,
    source_type: str = "transcript",
    hearing: Hearing | None = None,
    hub_id: int | None = None,
    original_filename: str | None = None,
    encoding: str | None = None,
    meta: dict | None = None,
    is_sample: bool = False,
    contains_personal_data: bool | None = None,
    split_turns: bool = True,
    key: str | None = None,
) -> Document:
    """Store a text as a document; transcripts get speaker turns.

    ``contains_personal_data`` defaults to True for transcripts and notes (speakers, names) and
    False otherwise; sample documents get 【サンプル】 in the title so they are never mistaken
    for real records.
    """
    source_type = choice(SourceType, source_type, "source_type")
    if is_sample and SAMPLE_MARK not in title:
        title = SAMPLE_MARK + title
    if contains_personal_data is None:
        contains_personal_data = source_type in PERSONAL_SOURCE_TYPES
    text = normalize_newlines(text)
    digest = content_hash(text)
    check_duplicate(session, digest, hearing)
    doc = Document(
        content_hash=digest,
        key=key,
        title=title,
        source_type=source_type,
        text=text,
        original_filename=original_filename,
        encoding=encoding,
        hearing_id=hearing.id if hearing is not None else None,
        hub_id=hub_id,
        meta=meta or {},
        is_sample=is_sample,
        contains_personal_data=contains_personal_data,
    )
    session.add(doc)
    session.flush()
    if split_turns and source_type in PERSONAL_SOURCE_TYPES:
        for t in split_speaker_turns(text):
            session.add(SpeakerTurn(document_id=doc.id, order=t.order, speaker=t.speaker, start=t.start, end=t.end))
        session.flush()
    session.refresh(doc)
    return doc


def find_by_hash(session: Session, digest: str) -> list[Document]:
    """The stored documents with this content hash (oldest first)."""
    return list(session.scalars(select(Document).where(Document.content_hash == digest).order_by(Document.id)))


def check_duplicate(session: Session, digest: str, hearing: Hearing | None) -> None:
    """Raise :class:`DuplicateDocumentError` when a document with this content exists.

    ``same_hearing`` tells the caller which case it is: the same hearing (or both without one)
    is an idempotent re-import, another hearing a refusal (code ``hearings.document_duplicate``).
    """
    existing = find_by_hash(session, digest)
    if not existing:
        return
    hearing_id = hearing.id if hearing is not None else None
    for doc in existing:
        if doc.hearing_id == hearing_id:
            raise DuplicateDocumentError(
                "hearings.document_already_imported", existing=doc.id, same_hearing=True, hearing=_key(doc)
            )
    first = existing[0]
    raise DuplicateDocumentError(
        "hearings.document_duplicate", existing=first.id, same_hearing=False, hearing=_key(first)
    )


def _key(doc: Document) -> str:
    return doc.hearing.key if doc.hearing is not None else "-"


def import_document(
    session: Session,
    path: str | Path,
    *,
    title: str | None = None,
    source_type: str = "transcript",
    hearing: Hearing | None = None,
    hub_id: int | None = None,
    is_sample: bool = False,
    contains_personal_data: bool | None = None,
    meta: dict | None = None,
) -> Document:
    """Read a .txt/.md/.docx file (encoding detected) and store it as a document."""
    p = Path(path)
    text, encoding = read_document_file(p)
    return add_document(
        session,
        text,
        title or p.stem,
        source_type=source_type,
        hearing=hearing,
        hub_id=hub_id,
        original_filename=p.name,
        encoding=encoding,
        meta=meta,
        is_sample=is_sample,
        contains_personal_data=contains_personal_data,
    )
