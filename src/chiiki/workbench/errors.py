"""The one exception the interfaces catch: a problem the user can fix, worded as a Message."""

from __future__ import annotations

from typing import Any

from chiiki.i18n import Message


class WorkbenchError(Exception):
    """Raised by Workbench methods for anything the user can act on (a bad file, an unknown name,
    a missing database). ``message`` is rendered in the user's language by the interface;
    ``details`` are further messages (one per bad row of an import, for instance); ``exit_code``
    is what a command-line client should exit with."""

    def __init__(self, message: Message, details: list[Any] | None = None, exit_code: int = 1) -> None:
        super().__init__(message.code)
        self.message = message
        self.details = list(details or [])
        self.exit_code = exit_code

    def to_dict(self) -> dict[str, Any]:
        from chiiki.workbench.results import plain

        return {
            "error": self.message.to_dict(),
            "details": [plain(d) for d in self.details],
            "exit_code": self.exit_code,
        }

    def __str__(self) -> str:  # English, for logs and tracebacks (never document text)
        from chiiki.i18n import render

        return render(self.message, "en")
