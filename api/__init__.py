"""The HTTP layer: ``create_app(config, store)`` builds the Flask application."""
from __future__ import annotations

import atexit
import logging
import re
import time
from dataclasses import dataclass

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from publik_kg import outbound
from publik_kg.dataset import Dataset
from publik_kg.results import answer
from publik_kg.sparqltext import BindingError, inject_values
from publik_kg.store import Store, StoreError

from . import cors, problems
from .cache import CacheMiddleware, ResponseCache
from .config import Config

log = logging.getLogger("publik_kg.http")


@dataclass
class State:
    store: Store
    config: Config
    dataset: Dataset
    pool: object | None = None        # QueryPool when the store is on disk
    reasoner: object | None = None    # BackgroundReasoner once an update has been accepted

    def __post_init__(self) -> None:
        if self.dataset.is_stale():      # updates were accepted, then the server stopped
            self.after_update()

    def after_update(self) -> None:
        """Recompute inferences in the background after a raw SPARQL Update."""
        if self.reasoner is None:
            from .reasoner import BackgroundReasoner
            self.reasoner = BackgroundReasoner(self.dataset)
        self.reasoner.schedule()

    def guard(self, base: str | None) -> tuple[tuple[str, ...], str]:
        """What a query's SERVICE targets are judged by: allowed prefixes, base IRI."""
        return tuple(self.config.allow_service), base or ""

    def query(self, sparql: str, formats: dict | None = None, **kw):
        """Run a read query: in a killable worker when there is a pool. With ``formats``
        (result kind → format, and ``max_rows``) the answer comes back already written.
        Its outbound targets are judged first (publik_kg.outbound)."""
        guard = self.guard(kw.get("base_iri"))
        cfg = self.config                      # the configured caps hold for every caller
        formats = {"max_rows": cfg.max_rows, "max_triples": cfg.max_triples, "max_bytes": cfg.max_result_bytes,
                   **(formats or {})}
        if self.pool is not None:
            return self.pool.query(sparql, formats, guard=guard, **kw)
        bindings = kw.get("bindings")
        try:
            text = inject_values(sparql, bindings) if bindings else sparql      # what will run
        except BindingError as e:
            raise StoreError(str(e)) from None
        outbound.decide(text, "query", guard[1], guard[0])
        return answer(self.store, sparql, formats, **kw)

    def check_update(self, update: str, base: str) -> None:
        """Refuse an update whose LOAD or SERVICE targets are not allowed, or (with a pool)
        that does not parse or would overflow a stack; nothing is run."""
        guard = self.guard(base)
        if self.pool is not None:
            self.pool.check_update(update, guard=guard)
        else:
            outbound.decide(update, "update", guard[1], guard[0])


_FORWARDED_VALID = {"HTTP_X_FORWARDED_PROTO": re.compile(r"https?", re.I),
                    "HTTP_X_FORWARDED_HOST": re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?"),
                    "HTTP_X_FORWARDED_FOR": re.compile(r"[0-9A-Fa-f:.]{2,45}")}


def _trusted_proxy(wsgi_app, proxy: str):
    """Honour X-Forwarded-For/-Host/-Proto only on requests that come from ``proxy``, and
    only well-formed values (a malformed one is ignored: it would make the base IRI invalid)."""
    if not proxy:
        return wsgi_app
    fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1)

    def app(environ, start_response):
        if environ.get("REMOTE_ADDR") != proxy:
            return wsgi_app(environ, start_response)
        for key, valid in _FORWARDED_VALID.items():
            value = environ.get(key)
            if value is not None and not valid.fullmatch(value.rsplit(",", 1)[-1].strip()):
                del environ[key]
        return fixed(environ, start_response)
    return app


def create_app(config: Config | None = None, store: Store | None = None, base: str | None = None) -> Flask:
    """The application, serving ``store`` (injected, kept on the app)."""
    config = config or Config.from_env()
    if store is None:
        from publik_kg.store import OxigraphStore
        store = OxigraphStore()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    pool = None
    if config.workers > 0 and getattr(store, "path", None) is not None:
        from .pool import QueryPool
        sandboxed = config.network_sandbox != "off"
        # the one worker that may reach allowed SERVICE targets (the others cannot: sandbox)
        federation = QueryPool(store, 1, config.query_timeout, config.worker_memory_mb, sandboxed=False) \
            if config.allow_service and sandboxed else None
        pool = QueryPool(store, config.workers, config.query_timeout, config.worker_memory_mb,
                         sandboxed=sandboxed, federation=federation)
        atexit.register(pool.close)
    app.extensions["publik_kg"] = State(store, config, Dataset(store, base or config.base_uri), pool)
    generation = getattr(store, "generation", lambda: "")
    cache = CacheMiddleware(app.wsgi_app, ResponseCache(config.cache_entries), generation,
                            max_body=min(100_000, config.max_body_bytes),
                            vary_origin=config.cors_origins.strip() not in ("", "*"))
    app.wsgi_app = _trusted_proxy(cache, config.trusted_proxy)  # type: ignore[method-assign]
    problems.register(app)
    from .queries import bp as queries_bp
    from .sparql import bp as sparql_bp
    app.register_blueprint(sparql_bp)
    app.register_blueprint(queries_bp)
    from .resources import bp as resources_bp
    app.register_blueprint(resources_bp)
    from .publication import bp as publication_bp
    app.register_blueprint(publication_bp)
    from .reports import bp as reports_bp
    app.register_blueprint(reports_bp)
    from .openapi import bp as openapi_bp
    from .pages import bp as pages_bp
    app.register_blueprint(pages_bp)
    app.register_blueprint(openapi_bp)

    @app.before_request
    def _start():
        g.t0 = time.perf_counter()
        g.query_id = "-"
        return cors.preflight(request)

    @app.after_request
    def _finish(resp):
        if resp.mimetype == "text/html":
            from .html import SECURITY_HEADERS
            resp.headers.update(SECURITY_HEADERS)
        cors.decorate(resp, request, config.cors_origins)
        log.info("%s %s %s %.1fms q=%s", request.method, request.path, resp.status_code,
                 (time.perf_counter() - g.get("t0", time.perf_counter())) * 1000, g.get("query_id", "-"))
        return resp

    return app
