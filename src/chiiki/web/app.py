"""The web workbench: ``create_app(settings)`` → a FastAPI app of server-rendered pages and a
JSON API over one :class:`chiiki.Workbench`.

Layers of every request, from the outside in: security headers (CSP without inline script or
style, nosniff, same-origin referrer, no framing), the body size limit (413), the signed session
cookie (HttpOnly, SameSite=Lax; Secure when ``CHIIKI_SECURE_COOKIES=1`` — set it behind https),
the CSRF check on unsafe methods, then the route's own sign-in and role check
(:func:`chiiki.web.context.viewer` with :mod:`chiiki.web.permissions`).

FastAPI's ``/docs`` page loads Swagger UI from a CDN and runs inline script, which the CSP
forbids: it is off; the schema is at ``/openapi.json`` for signed-in users and tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from chiiki.web import api, routes_auth, routes_import, routes_registry
from chiiki.web.context import NotSignedIn, anonymous, csrf_guard, is_api
from chiiki.web.i18n import page
from chiiki.web.security import BodyLimit, RateLimiter, SecurityHeaders, secure_cookies
from chiiki.web.security import secret_key as find_secret
from chiiki.workbench import Settings, Workbench, WorkbenchError

STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "chiiki_session"
SESSION_SECONDS = 8 * 3600


def create_app(
    settings: Settings, *, secret_key: str | None = None, rate_limiter: RateLimiter | None = None
) -> FastAPI:
    """The app serving ``settings``'s database. ``secret_key`` signs the session cookie (default:
    ``CHIIKI_SECRET_KEY`` or the key file beside the database, see
    :func:`chiiki.web.security.secret_key`)."""
    app = FastAPI(
        title="chiiki",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.openapi_url = "/openapi.json"  # app.openapi() builds the schema; our route serves it behind sign-in
    app.state.workbench = Workbench(settings)
    app.state.rate_limiter = rate_limiter or RateLimiter()
    app.state.upload_folder = routes_import.new_upload_folder()
    app.include_router(routes_auth.router)
    app.include_router(routes_registry.router)
    app.include_router(routes_import.router)
    app.include_router(api.router)
    app.add_api_route("/openapi.json", api.openapi_route, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    _handlers(app)
    key = secret_key or find_secret(settings.sqlite_path)
    # added innermost first: headers outermost, so even a 413 or an error page carries them
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=secure_cookies(),
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app


def _error_page(request: Request, status: int, text: str) -> Response:
    if is_api(request):
        return JSONResponse({"error": text, "status": status}, status_code=status)
    v = anonymous(request)
    return HTMLResponse(page(v.lang, "error.html", {"v": v, "status": status, "text": text}), status_code=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _error_page(request, exc.status_code, _status_text(request, exc.status_code))
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(WorkbenchError)
    async def workbench_error(request: Request, exc: WorkbenchError) -> Response:
        text = _render(exc.message, anonymous(request).lang)
        status = 404 if exc.message.code.endswith(("no_hub", "no_adoption")) else 400
        if is_api(request):
            body: dict[str, Any] = {"error": text, "message": exc.message.to_dict(), "status": status}
            body["details"] = [d.to_dict() if hasattr(d, "to_dict") else str(d) for d in exc.details]
            return JSONResponse(body, status_code=status)
        return _error_page(request, status, text)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return JSONResponse({"error": "invalid request", "detail": _plain_errors(exc)}, status_code=422)
        return _error_page(request, 422, _status_text(request, 422))


def _render(message: Any, lang: str) -> str:
    from chiiki.i18n import translator

    return translator(lang).render(message)


def _plain_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]


def _status_text(request: Request, status: int) -> str:
    from chiiki.i18n import N_, translator
    from chiiki.web.context import request_lang

    texts = {
        400: N_("The request could not be read."),
        401: N_("Please sign in."),
        403: N_("You may not open this page, or the form was stale: reload it and try again."),
        404: N_("Not found."),
        413: N_("The upload is too large."),
        422: N_("The request could not be read."),
        429: N_("Too many attempts: wait a few minutes."),
    }
    return translator(request_lang(request)).gettext(texts.get(status, N_("Something went wrong.")))
