"""Personal data in hearing records: who the known names are, masking them, withholding text.

Mechanics only. Whether a caller sees personal data is decided once, by the Workbench
(``WorkbenchCore.personal_allowed``); it hands the answer to the functions of this package as a
:class:`Redaction`, and they apply it the same way to every output (segment tables and files,
text-mining inputs, ``.qdpx`` files, the report chapter).

**Withheld**: the text of a document flagged ``contains_personal_data`` (transcripts and notes by
default) — the caller gets ``None`` (and a count), never a shortened copy.

**Masked**: every name the hearing records know, replaced by a pseudonym wherever it occurs:

- interviewees (``Interviewee.name``, and each blank-separated part of two or more characters
  of it: 山田 太郎 → 山田 太郎, 山田, 太郎) → ``P1``, ``P2`` …
- interviewers (``Hearing.interviewers``, split at 、 , ; / and newlines) → ``I1`` …
- speaker labels of speaker turns that can be a person → ``S1`` …; not role words
  (``resources/generic_speakers.txt``: 聞き手, 司会 …), not labels of one to three ASCII letters
  or digits (A, B, Q1: pseudonyms already), not the name of an organization the database knows
  (（鶴岡市） is a city). A label with an affiliation, 佐藤（鶴岡市役所）, adds itself and 佐藤.

Pseudonyms are numbered by first appearance in id order, so one database always gives the same
ones, and a name has one pseudonym (a speaker who is also an interviewee is ``P<n>``). Names are
compared after NFKC and lower-casing on both sides (ＹＡＭＡＤＡ = Yamada), the longest first;
an ASCII name matches whole words only (Ito does not match inside Kitora).

Masking changes lengths, so :class:`Masked` maps offsets between the original and the masked
text (coded segments and KWIC positions keep pointing at the right characters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_SPLIT = re.compile(r"[\u3001,\uff0c;\uff1b/\uff0f\n]+")
_PSEUDONYM = re.compile(r"[a-z0-9]{1,3}")
_AFFILIATION = re.compile(r"^(?P<name>[^\uff08(]+)[\uff08(]")
# Half-width and combining voiced sound marks: they compose with the character before them.
_VOICE_MARKS = frozenset(map(chr, (0xFF9E, 0xFF9F, 0x3099, 0x309A)))
PREFIX = {"interviewee": "P", "interviewer": "I", "speaker": "S"}


def norm(text: str) -> str:
    """The comparison form of a name: NFKC, blanks trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


@lru_cache(maxsize=1)
def generic_speakers() -> frozenset[str]:
    """Role labels (聞き手, interviewer …) that are never masked."""
    text = resources.files("chiiki.hearings").joinpath("resources", "generic_speakers.txt").read_text("utf-8")
    return frozenset(norm(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class KnownName:
    """A name the hearing records know, and the pseudonym that replaces it."""

    name: str
    kind: str  # interviewee | interviewer | speaker
    pseudonym: str


@dataclass(frozen=True)
class Masked:
    """A text with its names replaced; ``spans`` are ``(orig_start, orig_end, new_start, new_end)``."""

    original: str
    text: str
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def to_new(self, pos: int, end: bool = False) -> int:
        """Offset ``pos`` of the original text in the masked one (inside a name: its pseudonym's
        start, or its end when ``end``)."""
        delta = 0
        for os_, oe, ns, ne in self.spans:
            if pos <= os_:
                break
            if pos < oe:
                return ne if end else ns
            delta = ne - oe
        return pos + delta

    def to_original(self, pos: int, end: bool = False) -> int:
        """Offset ``pos`` of the masked text in the original one."""
        delta = 0
        for os_, oe, ns, ne in self.spans:
            if pos <= ns:
                break
            if pos < ne:
                return oe if end else os_
            delta = oe - ne
        return pos + delta

    def slice(self, start: int, end: int) -> str:
        """The masked text of the original span ``start:end``."""
        return self.text[self.to_new(start) : self.to_new(end, end=True)]


def _normalized(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC + lower case of ``text``, and for each output character the start and end of the
    input characters it came from (a base character and its voiced-sound marks go together)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and (text[j] in _VOICE_MARKS or unicodedata.combining(text[j])):
            j += 1
        n = unicodedata.normalize("NFKC", text[i:j]).lower()
        out.append(n)
        starts.extend([i] * len(n))
        ends.extend([j] * len(n))
        i = j
    return "".join(out), starts, ends


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class NameMask:
    """Replaces the known names in any text (see the module docstring)."""

    def __init__(self, names: list[KnownName]) -> None:
        self.names = list(names)
        self._pseudonyms: dict[str, str] = {}
        for n in self.names:
            self._pseudonyms.setdefault(norm(n.name), n.pseudonym)
        self._needles = sorted(self._pseudonyms.items(), key=lambda kv: (-len(kv[0]), kv[0]))

    def __bool__(self) -> bool:
        return bool(self._needles)

    def pseudonym(self, name: str) -> str | None:
        return self._pseudonyms.get(norm(name))

    def label(self, speaker: str) -> str:
        """A speaker label as it may be shown: its pseudonym if it names a person."""
        return self.pseudonym(speaker) or self.text(speaker)

    def text(self, text: str) -> str:
        return self.mask(text).text

    def mask(self, text: str) -> Masked:
        if not self._needles or not text:
            return Masked(text, text)
        normalized, starts, ends = _normalized(text)
        taken: list[tuple[int, int, str]] = []
        for needle, pseudonym in self._needles:
            i = normalized.find(needle)
            while i >= 0:
                j = i + len(needle)
                bounded = not (
                    (_ascii_word(needle[0]) and i > 0 and _ascii_word(normalized[i - 1]))
                    or (_ascii_word(needle[-1]) and j < len(normalized) and _ascii_word(normalized[j]))
                )
                os_, oe = starts[i], ends[j - 1]
                if bounded and not any(os_ < b and a < oe for a, b, _ in taken):
                    taken.append((os_, oe, pseudonym))
                i = normalized.find(needle, i + 1)
        if not taken:
            return Masked(text, text)
        taken.sort()
        parts: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        pos = new = 0
        for os_, oe, pseudonym in taken:
            parts.append(text[pos:os_])
            new += os_ - pos
            parts.append(pseudonym)
            spans.append((os_, oe, new, new + len(pseudonym)))
            new += len(pseudonym)
            pos = oe
        parts.append(text[pos:])
        return Masked(text, "".join(parts), tuple(spans))


def known_names(session: Session) -> NameMask:
    """The names the hearing records of this database know, with their pseudonyms."""
    from sqlalchemy import select

    from chiiki.model.hearings import Hearing, HearingOrganization, Interviewee, SpeakerTurn
    from chiiki.model.registry import Organization

    names: list[KnownName] = []
    seen: dict[str, str] = {}
    counts = dict.fromkeys(PREFIX, 0)

    def add(name: str, kind: str, same_as: str | None = None) -> str | None:
        key = norm(name)
        if not key:
            return None
        if key in seen:
            return seen[key]
        if same_as is None:
            counts[kind] += 1
            same_as = f"{PREFIX[kind]}{counts[kind]}"
        seen[key] = same_as
        names.append(KnownName(name.strip(), kind, same_as))
        return same_as

    def add_person(name: str, kind: str) -> None:
        p = add(name, kind)
        parts = name.split()
        if p and len(parts) > 1:
            for part in parts:
                if len(part) >= 2:
                    add(part, kind, same_as=p)

    for person in session.scalars(select(Interviewee).order_by(Interviewee.hearing_id, Interviewee.id)):
        add_person(person.name, "interviewee")
    for interviewers in session.scalars(
        select(Hearing.interviewers).where(Hearing.interviewers.is_not(None)).order_by(Hearing.id)
    ):
        for part in _SPLIT.split(interviewers or ""):
            if part.strip():
                add_person(part.strip(), "interviewer")
    orgs = {norm(n) for n in session.scalars(select(Organization.name))}
    orgs |= {norm(n) for n in session.scalars(select(HearingOrganization.name_as_written))}
    generic = generic_speakers()

    def person_like(label: str) -> bool:
        key = norm(label)
        return bool(key) and key not in generic and not _PSEUDONYM.fullmatch(key) and key not in orgs

    labels = session.scalars(select(SpeakerTurn.speaker).order_by(SpeakerTurn.document_id, SpeakerTurn.order))
    for label in labels:
        if not person_like(label):
            continue
        p = add(label, "speaker")
        m = _AFFILIATION.match(label)
        if p and m and person_like(m.group("name")):
            add(m.group("name").strip(), "speaker", same_as=p)
    return NameMask(names)


@dataclass
class Redaction:
    """What one output may show, as the Workbench decided it.

    ``show_personal`` False: text of documents flagged as personal is withheld (``None``) and the
    known names are masked everywhere else. True: everything as stored.
    """

    mask: NameMask = field(default_factory=lambda: NameMask([]))
    show_personal: bool = False
    _masked: dict[object, Masked] = field(default_factory=dict, repr=False)

    @classmethod
    def nothing_hidden(cls) -> Redaction:
        return cls(NameMask([]), show_personal=True)

    @classmethod
    def for_session(cls, session: Session, show_personal: bool) -> Redaction:
        return cls(NameMask([]) if show_personal else known_names(session), show_personal)

    def withholds(self, personal: bool | None) -> bool:
        """Whether a document with this flag has its text withheld."""
        return bool(personal) and not self.show_personal

    def masked(self, key: object, text: str) -> Masked:
        """The masked form of a document's text (cached per ``key``, e.g. the document id)."""
        if self.show_personal:
            return Masked(text, text)
        if key not in self._masked:
            self._masked[key] = self.mask.mask(text)
        return self._masked[key]

    def original_offset(self, key: object, base: int, offset: int, end: bool = False) -> int:
        """Where ``offset`` of a (masked) piece of a document that starts at ``base`` of the stored
        text lies in the stored text (for positions found in masked text, e.g. KWIC hits)."""
        masked = None if self.show_personal else self._masked.get(key)
        if masked is None:
            return base + offset
        return masked.to_original(masked.to_new(base) + offset, end=end)

    def text(self, value: str | None) -> str | None:
        """A free text (a title, a memo, a note) as it may be shown."""
        if value is None or self.show_personal:
            return value
        return self.mask.text(value)

    def speaker(self, label: str) -> str:
        return label if self.show_personal else self.mask.label(label)
