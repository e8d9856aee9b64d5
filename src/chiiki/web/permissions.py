"""Who may open which route: the permission table as data, checked on the server for every
request and walked by a test (every route × every role → the documented status).

A route missing from :data:`PERMISSIONS` and :data:`PUBLIC` is refused to everyone (403), so a
new route is closed until it is given a row here.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("admin", "researcher", "coordinator", "expert", "viewer")
EVERYONE = frozenset(ROLES)
IMPORTERS = frozenset({"admin", "researcher", "coordinator"})  # who may change the registry by a file

# routes anyone may open, signed in or not
PUBLIC: frozenset[str] = frozenset({"/login", "/signin/{token}", "/healthz", "/static"})

# route path (as FastAPI declares it) → roles allowed; a signed-in user of another role gets 403
PERMISSIONS: dict[str, frozenset[str]] = {
    "/": EVERYONE,
    "/logout": EVERYONE,
    "/adoptions": EVERYONE,
    "/adoptions.{fmt}": EVERYONE,
    "/adoptions/{adoption_id}": EVERYONE,
    "/hubs/{ref}": EVERYONE,
    "/timeline": EVERYONE,
    "/openapi.json": EVERYONE,
    "/api/v1/adoptions": EVERYONE,
    "/api/v1/adoptions/{adoption_id}": EVERYONE,
    "/api/v1/hubs/{ref}": EVERYONE,
    "/api/v1/summary": EVERYONE,
    "/import": IMPORTERS,
    "/import/preview": IMPORTERS,
    "/import/confirm": IMPORTERS,
    "/imports": IMPORTERS,
}


def allowed(route: str, role: str) -> bool:
    return role in PERMISSIONS.get(route, frozenset())
