"""The application factory: routes, limits, security headers and how errors answer.

Safe by default: every response carries a Content-Security-Policy that allows no script except
Swagger UI's own files on ``/docs`` (shipped in the wheel under ``static/swagger``, no CDN), no
inline script anywhere, styles from the app's own files; request bodies are capped (HTTP 413); bad input answers HTTP 422 ``{"error": "<the CLI's one-line message>"}`` on the API
and an error page elsewhere; no wildcard CORS; optionally only the named Host headers (guarding a
loopback server against DNS rebinding).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import CaseError, one_line
from ..solver import NoLawfulOutcome
from . import api, pages
from .jobs import BadInput, InternalError, Jobs, TimeLimit
from .settings import Settings

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
CSP_DOCS = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
# the downloadable report is one self-contained file: its own <style>, never a script
CSP_REPORT = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"


class _TooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is over the server's limit of {limit} bytes")


class BodyLimit:
    """Refuse a body over ``limit`` bytes (HTTP 413): by its Content-Length before reading, or as
    soon as the bytes received pass the limit."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            status = 413 if declared.isdigit() else 400
            response = JSONResponse({"error": _TooLarge(self.limit).detail if status == 413
                                     else "bad Content-Length"}, status_code=status)
            return await response(scope, receive, send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(self.limit)
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """CSP and friends on every response (``/docs`` may run Swagger UI's own script files)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        policy = CSP_DOCS if path == "/docs" or path.startswith("/static/swagger") else \
            CSP_REPORT if path.endswith(("/report.html", "/compare.html", "/readings.html")) else CSP

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def _one_line(exc: RequestValidationError) -> str:
    """Pydantic's first complaint about the body, as one line naming the field."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return f"field '{where}': {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid request")


def create_app(settings: Settings | None = None, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app and API.  ``allowed_hosts`` restricts the Host header (``pydesig serve`` passes
    the loopback names when it binds to loopback)."""
    settings = settings or Settings()
    app = FastAPI(title="pydesig", version=_version(), docs_url=None, redoc_url=None,
                  description="The HTTP API of pydesig: the CLI's JSON for a case sent as the request body. "
                              "Bad input answers 422 with `{\"error\": \"<the CLI's one-line message>\"}`.")
    app.state.settings = settings
    app.state.jobs = Jobs(settings.workers, settings.time_limit)
    app.state.check_cache = {}
    app.state.cache = {}
    pages.install_sources(app, settings)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    def error(request: Request, status: int, message: str):
        if request.url.path.startswith("/api") or status == 413:
            return JSONResponse({"error": message}, status_code=status)
        return pages.error_page(request, status, message)

    @app.exception_handler(CaseError)
    @app.exception_handler(NoLawfulOutcome)
    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: Exception):
        return error(request, 422, one_line(str(exc)))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return error(request, 422, _one_line(exc))

    @app.exception_handler(TimeLimit)
    async def too_long(request: Request, exc: TimeLimit):
        return error(request, 503, str(exc))

    @app.exception_handler(InternalError)
    async def internal(request: Request, exc: InternalError):
        return error(request, 500, f"internal error: {exc}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error(request, exc.status_code, str(exc.detail))

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def docs() -> HTMLResponse:
        return HTMLResponse((_STATIC / "docs.html").read_text(encoding="utf-8"))

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pydesig")
    except PackageNotFoundError:
        return "0"
