"""Messages of the accounts package (codes ``accounts.*``).

English templates (msgids); the Japanese is in the catalogue (fragment ``h6.po``). Parameters
never hold a password or a token.
"""

from chiiki.i18n import N_

MESSAGES = {
    # errors the user can fix
    "accounts.user_exists": N_("A user named {name} already exists."),
    "accounts.user_not_found": N_("No user named {name}."),
    "accounts.unknown_role": N_("Unknown role {role!r}: use one of {choices}."),
    "accounts.name_empty": N_("A user needs a name."),
    "accounts.name_too_long": N_("A user name has at most {max} characters ({n} given)."),
    "accounts.password_too_short": N_("The password is too short: at least {min} characters are needed ({n} given)."),
    "accounts.bad_ttl": N_("A sign-in link must live 0 seconds or more, not {ttl}."),
    # what was done
    "accounts.user_added": N_("User {name} added with the role {role}."),
    "accounts.token_created": N_("New API token for {name}."),
    "accounts.users_title": N_("Users"),
}
