"""Messages of the workbench itself (codes ``workbench.*``)."""

from chiiki.i18n import N_

MESSAGES = {
    "workbench.schema_outdated": N_("The database schema is older than this chiiki: {detail}"),
    "workbench.schema_missing": N_("The database has no chiiki tables: run `chiiki db init` first."),
    "workbench.no_database": N_("No database at {path}: run `chiiki db init` first (or give the right --db)."),
    "workbench.database_error": N_("Database error: {detail}"),
    "workbench.user_error": N_("{detail}"),
    "workbench.personal_not_allowed": N_(
        "User {user} may not see personal data (transcript text and the names of interviewees)."
    ),
    "workbench.personal_withheld": (
        N_("Text of {n} item from documents holding personal data withheld (--include-personal to show it)."),
        N_("Text of {n} items from documents holding personal data withheld (--include-personal to show it)."),
    ),
}
