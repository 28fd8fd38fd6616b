"""The analyst's desk: a local web app and HTTP API over the same library the CLI calls.

- ``app``: :func:`create_app` builds the FastAPI application (security headers, body size limit,
  errors as ``{"error": …}``) from :class:`~pydesig.web.settings.Settings`;
- ``api``: one small controller per endpoint of the contract's HTTP API, answering the CLI's JSON;
- ``pages``: the server-rendered pages (jinja2, autoescaped) and their downloads;
- ``sources``: where a case comes from — a shipped case, a file the operator named, or a document
  or upload in a request (held in memory, loaded from a temporary folder the server owns);
- ``work``: the library calls a request needs, run by ``jobs`` in a child process with a time limit
  so the server stays responsive while one solves;
- ``views``: what the pages show, computed from the result JSON.

    pydesig serve                     # http://127.0.0.1:8765/
"""

from .app import create_app
from .settings import Settings

__all__ = ["create_app", "Settings"]
