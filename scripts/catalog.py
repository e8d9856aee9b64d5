"""Build the message catalogue: extract msgids, update the ja/en .po files, compile the .mo files.

    .venv/bin/python scripts/catalog.py           # extract + update + compile (make catalog)
    .venv/bin/python scripts/catalog.py --check   # fail if a msgid lacks a Japanese translation,
                                                  # or a shipped .mo is not the compiled .po

The same steps as ``pybabel extract -F babel.cfg -k N_ …``, ``pybabel update`` and ``pybabel
compile``, done through Babel's API so the build needs no shell tool and writes atomically. The
English catalogue holds only what differs from the msgid (plurals, symbols such as ¥).
Translations waiting in ``locale/<lang>/LC_MESSAGES/fragments/*.po`` (optional: a contributor's
batch of new translations) are merged in and win over the .po; delete the fragment afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
# A fixed header date: the files change only when a message changes, not on every build.
STAMP = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
HEADER = {
    "version": "0.1",
    "copyright_holder": "the chiiki contributors (MIT licence)",
    "last_translator": "the chiiki contributors",
    "language_team": "chiiki",
    "creation_date": STAMP,
    "revision_date": STAMP,
}
SRC = ROOT / "src" / "chiiki"
LOCALE = SRC / "locale"
LANGS = ("ja", "en")
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_n": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.j2", "jinja2")]
OPTIONS = {
    "**/templates/**.html": {"extensions": "jinja2.ext.i18n"},
    "**/templates/**.j2": {"extensions": "jinja2.ext.i18n"},
}


def _messages_dict_ids() -> list[str | tuple[str, str]]:
    """Templates declared in ``<domain>/messages.py`` (MESSAGES dicts) — extracted by import so a
    template is never missed because it was not wrapped in N_()."""
    sys.path.insert(0, str(ROOT / "src"))
    import importlib

    out: list[str | tuple[str, str]] = []
    for path in sorted(SRC.glob("*/messages.py")):
        mod = importlib.import_module(f"chiiki.{path.parent.name}.messages")
        for template in getattr(mod, "MESSAGES", {}).values():
            out.append(tuple(template) if isinstance(template, list | tuple) else template)
    return out


def extract() -> Catalog:
    pot = Catalog(project="chiiki", domain="chiiki", fuzzy=False, **HEADER)
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(SRC), METHOD_MAP, OPTIONS, KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        pot.add(message, None, [(filename, lineno)], context=context)
    for template in _messages_dict_ids():
        if isinstance(template, tuple):
            # N_() marks each form as a singular; the pair is one plural entry
            locations = []
            for form in template:
                if form in pot and not isinstance(pot[form].id, tuple):
                    locations += pot[form].locations
                    del pot[form]
            pot.add(template, None, locations or [("messages.py", 0)])
        elif template not in pot:
            pot.add(template, None, [("messages.py", 0)])
    return pot


def _read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain="chiiki")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _translations(lang: str) -> dict[object, object]:
    """Every translation known for ``lang``: the fragments waiting to be merged win over the .po."""
    known: dict[object, object] = {}
    base = LOCALE / lang / "LC_MESSAGES"
    sources = [*sorted((base / "fragments").glob("*.po")), base / "chiiki.po"]
    for src in sources:
        for m in _read(src, lang):
            if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string)):
                known.setdefault(_key(m.id), m.string)
    return known


def _key(msgid: object) -> object:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(check: bool = False) -> int:
    pot = extract()
    problems: list[str] = []
    for lang in LANGS:
        known = _translations(lang)
        cat = Catalog(locale=lang, domain="chiiki", project="chiiki", fuzzy=False, **HEADER)
        for m in pot:
            if not m.id:
                continue
            string = known.get(_key(m.id))
            if isinstance(m.id, tuple) and isinstance(string, str):
                string = (string, string)
            if not isinstance(m.id, tuple) and isinstance(string, tuple):
                string = string[0]
            if string is None:
                if lang == "ja":
                    problems.append(f"ja: no translation for {m.id!r} ({m.locations[0][0] if m.locations else '?'})")
                string = ("", "") if isinstance(m.id, tuple) else ""
            cat.add(m.id, string, m.locations, context=m.context)
        po_buf, mo_buf = io.BytesIO(), io.BytesIO()
        write_po(po_buf, cat, width=100, omit_header=False, sort_output=True)
        write_mo(mo_buf, cat, use_fuzzy=False)
        base = LOCALE / lang / "LC_MESSAGES"
        if check:
            shipped = (base / "chiiki.mo").read_bytes() if (base / "chiiki.mo").exists() else b""
            if _mo_messages(shipped) != _mo_messages(mo_buf.getvalue()):
                problems.append(
                    f"{lang}: locale/{lang}/LC_MESSAGES/chiiki.mo is not the compiled catalogue: make catalog"
                )
        else:
            _atomic_write(base / "chiiki.po", po_buf.getvalue())
            _atomic_write(base / "chiiki.mo", mo_buf.getvalue())
    _atomic_write(LOCALE / "chiiki.pot", _pot_bytes(pot)) if not check else None
    for p in problems:
        print(p, file=sys.stderr)
    print(f"catalogue: {len(pot)} msgids, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def _pot_bytes(pot: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, pot, width=100, sort_output=True)
    return buf.getvalue()


def _mo_messages(data: bytes) -> dict[object, object]:
    if not data:
        return {}
    import gettext

    t = gettext.GNUTranslations(io.BytesIO(data))
    return {k: v for k, v in t._catalog.items() if k != ""}  # type: ignore[attr-defined]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    sys.exit(build(check=ap.parse_args().check))
