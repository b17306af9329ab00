"""Errors as RFC 9457 problem documents (JSON), mapped in one place."""
from __future__ import annotations

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str = "", headers: dict | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


def problem(status: int, title: str, detail: str = "", headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def register(app: Flask) -> None:
    from publik_kg.namedqueries import ParameterError
    from publik_kg.outbound import Refused, Unverifiable
    from publik_kg.store import NetworkClosed, QuerySyntaxError, StoreError, StoreUnavailable

    from .pool import PoolBusy, QueryTimeout
    from .sandbox import SandboxError

    @app.errorhandler(QueryTimeout)
    @app.errorhandler(PoolBusy)
    @app.errorhandler(SandboxError)
    def _busy(e):
        return problem(503, "Service Unavailable", str(e), {"Retry-After": "5"})

    @app.errorhandler(Refused)
    @app.errorhandler(NetworkClosed)
    def _refused(e):
        return problem(403, "Forbidden", str(e))

    @app.errorhandler(StoreUnavailable)
    def _unavailable(e):
        return problem(503, "Service Unavailable", str(e), {"Retry-After": "5"})

    @app.errorhandler(Unverifiable)
    def _unverifiable(e):
        return problem(400, "Bad Request", str(e))

    @app.errorhandler(QuerySyntaxError)
    def _syntax(e):
        return problem(400, "Bad Request", f"malformed SPARQL: {e}")

    @app.errorhandler(StoreError)
    @app.errorhandler(ParameterError)
    def _bad(e):
        return problem(400, "Bad Request", str(e))

    @app.errorhandler(ApiError)
    def _api(e: ApiError):
        return problem(e.status, e.title, e.detail, e.headers)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        headers = {k: v for k, v in e.get_headers() if k.lower() == "allow"}
        return problem(e.code or 500, e.name, e.description or "", headers)

    @app.errorhandler(Exception)
    def _any(e: Exception):
        app.logger.exception("unhandled error")
        return problem(500, "Internal Server Error", "the server failed; the error was logged")
