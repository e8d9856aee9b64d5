"""What a Workbench is opened with: explicit settings, never read from the environment here.

Only the interfaces (CLI, web, a script's own code) look at ``CHIIKI_DB_URL``/``CHIIKI_LANG``/
``CHIIKI_HOME``, through :meth:`Settings.from_env`, so two workbenches with two databases and two
languages can live in one process (the web app serves a Japanese and an English user at once).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from chiiki.i18n import DEFAULT_LANG, check_lang

ENV_URL = "CHIIKI_DB_URL"
ENV_LANG = "CHIIKI_LANG"
ENV_HOME = "CHIIKI_HOME"


def url_of(path_or_url: str | os.PathLike[str]) -> str:
    """A database URL from ``--db``'s value: a URL as it is, a path as an SQLite file URL."""
    text = os.fspath(path_or_url)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


@dataclass(frozen=True)
class Settings:
    """Database, language and what the caller may see.

    ``allow_personal`` says whether this caller may see the text of documents flagged as holding
    personal data and the names the hearing records know; a method still withholds them unless it
    is asked with ``include_personal=True``. The person running the CLI on their own file is
    allowed (it is their data); the web workbench sets it per signed-in role.
    """

    db_url: str
    lang: str = DEFAULT_LANG
    allow_personal: bool = True
    user: str = "local"

    def __post_init__(self) -> None:
        check_lang(self.lang)

    @classmethod
    def from_env(
        cls,
        db: str | None = None,
        lang: str | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Settings:
        """Settings the way the command line resolves them: ``--db`` beats ``CHIIKI_DB_URL``, which
        beats ``$CHIIKI_HOME/chiiki.db``, which beats ``./chiiki.db``."""
        env = os.environ if environ is None else environ
        if db:
            url = url_of(db)
        elif env.get(ENV_URL):
            url = env[ENV_URL]
        else:
            base = Path(env[ENV_HOME]) if env.get(ENV_HOME) else (cwd or Path.cwd())
            url = url_of(base / "chiiki.db")
        chosen = lang or env.get(ENV_LANG) or DEFAULT_LANG
        return cls(db_url=url, lang="en" if chosen.lower().startswith("en") else "ja")

    def with_lang(self, lang: str) -> Settings:
        return replace(self, lang=lang)

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The file of an SQLite URL (None for a server or an in-memory database)."""
        if not self.db_url.startswith("sqlite:///"):
            return None
        rest = self.db_url[len("sqlite:///") :].split("?", 1)[0]
        return Path(rest) if rest and rest != ":memory:" else None
