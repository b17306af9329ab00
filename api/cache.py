"""A response cache in front of the application, valid for one store generation.

Read requests (GET, and POSTed SPARQL queries) whose answer is a 200 are kept, keyed by
the store's write generation and everything the answer depends on: method, path, query
string, body, Accept, and the public host and scheme. Only stores that report a
generation (on-disk Oxigraph: it changes with every write, including other processes')
are cached, so a response never outlives the data it was computed from. A hit is served
without entering Flask at all, which is what makes repeated reads cheap.
"""
from __future__ import annotations

import io
import logging
import threading
import time
from collections import OrderedDict
from typing import Callable

log = logging.getLogger("publik_kg.http")

# Requests the cache never answers: conditional or authenticated ones go to the app.
BYPASS = ("HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")
# Set after the trusted-proxy fix, so HTTP_HOST and the scheme are the public ones. Origin
# too when the CORS headers echo it (a list of origins: api/cors.py).
VARY = ("HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_HOST", "wsgi.url_scheme", "SCRIPT_NAME")
# Files served from disk, streamed: never buffered here.
STREAMED = ("/dumps/",)
QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")


class ResponseCache:
    """A bounded LRU map; values are (status, headers, body)."""

    def __init__(self, entries: int = 512, max_bytes: int = 1_000_000):
        self.entries, self.max_bytes = entries, max_bytes
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
            return hit

    def put(self, key, value: tuple[str, list, bytes]) -> None:
        if len(value[2]) > self.max_bytes or self.entries <= 0:
            return
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.entries:
                self.data.popitem(last=False)


class CacheMiddleware:
    """WSGI middleware: answer repeated reads from ``cache`` while ``generation()`` holds."""

    def __init__(self, app, cache: ResponseCache, generation: Callable[[], str], max_body: int = 100_000,
                 vary_origin: bool = False):
        self.app, self.cache, self.generation, self.max_body = app, cache, generation, max_body
        self.vary = VARY + (("HTTP_ORIGIN",) if vary_origin else ())

    def _key(self, environ):
        if self.cache.entries <= 0 or any(h in environ for h in BYPASS) \
                or environ.get("PATH_INFO", "").startswith(STREAMED):
            return None
        method, body = environ["REQUEST_METHOD"], b""
        if method == "POST":
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            length = environ.get("CONTENT_LENGTH") or ""
            if ctype not in QUERY_TYPES or not length.isdigit() or int(length) > self.max_body:
                return None
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
            if ctype == QUERY_TYPES[1] and b"update=" in body:
                return None
        elif method != "GET":
            return None
        generation = self.generation()
        if not generation:
            return None
        return (generation, method, environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), body,
                *(environ.get(h, "") for h in self.vary))

    def __call__(self, environ, start_response):
        t0 = time.perf_counter()
        key = self._key(environ)
        if key is not None and (hit := self.cache.get(key)) is not None:
            status, headers, body = hit
            start_response(status, headers)
            log.info("%s %s %s %.1fms q=cached", key[1], key[2], status[:3], (time.perf_counter() - t0) * 1000)
            return [body]
        if key is None:
            return self.app(environ, start_response)
        seen: dict = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        chunks = self.app(environ, remember)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        if seen.get("status", "").startswith("200") and \
                not any(k.lower() == "cache-control" and "no-store" in v for k, v in seen["headers"]):
            self.cache.put(key, (seen["status"], list(seen["headers"]), body))
        return [body]
