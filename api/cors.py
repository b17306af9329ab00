"""Cross-origin access (CORS): which origins may read the API from a browser, the answer
to a preflight, and the response headers a cross-origin script may read.

``PUBLIK_KG_CORS_ORIGINS`` is ``*`` (any origin, the default), a comma-separated list of
origins (the request's origin is echoed when it is listed, with ``Vary: Origin``), or empty
(no CORS headers at all). Requests from a browser page carry no cookies to this API (it has
none): the update token travels in ``Authorization``, which is why it is an allowed header.
"""
from __future__ import annotations

from flask import Request, Response

ALLOW_HEADERS = "Authorization, Content-Type, Accept, If-None-Match"
# Every response header of the API that a script may need, beyond the CORS-safelisted ones
# (Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma).
EXPOSE_HEADERS = "X-Result-Truncated, ETag, Link, Retry-After, WWW-Authenticate, Allow"
MAX_AGE = "86400"            # seconds a browser may reuse a preflight (Chromium caps it at 7200)


def allowed_origin(configured: str, origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for a request from ``origin``, or None."""
    origins = [o.strip() for o in configured.split(",") if o.strip()]
    if "*" in origins:
        return "*"
    return origin if origin and origin in origins else None


def preflight(request: Request) -> Response | None:
    """The answer to OPTIONS on a route of the API: 204 with the route's methods (a
    preflight's Access-Control-* headers are added by ``decorate``); None for any other
    request, or a path that is no route (it then gets its 404)."""
    if request.method != "OPTIONS" or request.url_rule is None or request.routing_exception is not None:
        return None
    methods = ", ".join(sorted(request.url_rule.methods or ()))
    return Response(status=204, headers={"Allow": methods})


def decorate(resp: Response, request: Request, configured: str) -> Response:
    """Add the CORS headers to every response (when the origin is allowed)."""
    value = allowed_origin(configured, request.headers.get("Origin"))
    if configured.strip() and "*" not in configured:
        resp.vary.add("Origin")
    if value is None:
        return resp
    resp.headers["Access-Control-Allow-Origin"] = value
    resp.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    if request.method == "OPTIONS":
        resp.headers["Access-Control-Allow-Methods"] = resp.headers.get("Allow", "GET, HEAD, OPTIONS")
        resp.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = MAX_AGE
    return resp
