"""Messages of the model layer (codes ``model.*``): schema creation, upgrades and backups."""

from chiiki.i18n import N_

MESSAGES = {
    "model.schema_outdated": N_(
        "The database schema is at {current}; this chiiki needs {head}: run `chiiki db migrate`."
    ),
    "model.schema_too_new": N_(
        "This database was written by a newer chiiki (schema {revision}): upgrade chiiki to open it."
    ),
    "model.database_busy": N_(
        "Another program is using {path}: close it and try again (the database was not changed)."
    ),
    "model.upgrade_failed": N_(
        "The upgrade of {path} from schema {current} to {head} failed; nothing was changed (backup: {backup})."
    ),
    "model.invalid_stored_values": N_(
        "{table}.{column} holds values this chiiki does not allow: {found} (allowed: {allowed})."
    ),
    "model.upgrade_error": N_("Cause: {error}."),
}
