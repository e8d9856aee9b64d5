"""Japanese by default, English with `--lang en` or CHIIKI_LANG=en.

Help texts are built when the commands are declared, before Typer parses options, so the
language is read from argv/env once at start-up.
"""

from __future__ import annotations

import os
import sys


def _detect() -> str:
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("CHIIKI_LANG", "ja")


LANG = "en" if _detect().lower().startswith("en") else "ja"


def t(ja: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if LANG == "en" else ja
