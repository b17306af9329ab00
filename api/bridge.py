"""The HTTP front of ``publik-kg serve``: granian's RSGI interface in front of the WSGI app.

A client that sends slowly or stalls must cost a connection, never a request thread. So the
request is read here, on granian's event loop, and only a whole, bounded request reaches the
Flask app (with its WSGI middlewares), in a pool of ``threads`` threads:

- the body is awaited with a deadline (``body_timeout``: 408 past it) and a size limit
  (``max_body_bytes``: 413 from the ``Content-Length`` before reading anything, or as soon as
  a chunked body passes the limit — never read whole);
- at most ``max_requests`` requests are in progress (body being read, waiting for a thread or
  running); one more gets 503 + ``Retry-After`` at once, as a problem document;
- a response is written from the event loop: a file (``/dumps/``) is sent by granian from
  disk at the client's pace; any other body is pulled from the app's iterable in batches in
  the pool, so a client that does not read costs no thread.

Headers are granian's part (``header_read_timeout``, its backpressure as a connection limit:
see ``serve.py``).
"""
from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from .cors import allowed_origin

log = logging.getLogger("publik_kg.http")

BATCH = 64 * 1024          # bytes of response pulled from the app per trip to the pool
RETRY_AFTER = "5"          # seconds, in a 503 when the request limit is reached
NO_BODY = ("GET", "HEAD", "OPTIONS", "DELETE", "TRACE")


class _TooLarge(Exception):
    pass


class WsgiBridge:
    """An RSGI application running ``wsgi_app`` once each request has been read whole."""

    def __init__(self, wsgi_app, *, threads: int = 4, max_requests: int = 256, max_body_bytes: int = 1_000_000,
                 body_timeout: float = 15.0, cors_origins: str = ""):
        self.app = wsgi_app
        self.max_requests, self.max_body = max_requests, max_body_bytes
        self.body_timeout = body_timeout
        self.cors_origins = cors_origins
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="publik-kg-http")
        self.in_progress = 0       # only touched on the event loop's thread

    def __rsgi_del__(self, loop) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def __rsgi__(self, scope, proto) -> None:
        if scope.proto != "http":
            return
        if self.in_progress >= self.max_requests:
            return self._refuse(scope, proto, 503, "Service Unavailable",
                                f"the server has {self.max_requests} requests in progress; retry later",
                                [("retry-after", RETRY_AFTER)])
        self.in_progress += 1
        try:
            await self._serve(scope, proto)
        finally:
            self.in_progress -= 1

    async def _serve(self, scope, proto) -> None:
        headers = scope.headers.items()
        length = scope.headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                return self._refuse(scope, proto, 400, "Bad Request", "malformed Content-Length")
            if int(length) > self.max_body:
                return self._refuse(scope, proto, 413, "Content Too Large",
                                    f"the body is over {self.max_body} bytes")
        if length is None and scope.method == "POST" and _may_write(scope):
            # granian cannot tell a chunked body cut by a closed connection from a whole one,
            # and a prefix of an update can be a valid, different update: writes say their size
            return self._refuse(scope, proto, 411, "Length Required",
                                "a write (an update, a report) or a form must be sent with its Content-Length")
        body = b""
        if length is not None or "transfer-encoding" in scope.headers or scope.method not in NO_BODY:
            try:
                body = await asyncio.wait_for(self._read(proto), self.body_timeout)
            except _TooLarge:
                return self._refuse(scope, proto, 413, "Content Too Large", f"the body is over {self.max_body} bytes")
            except asyncio.TimeoutError:
                return self._refuse(scope, proto, 408, "Request Timeout",
                                    f"the body did not arrive within {self.body_timeout:g} s")
            except Exception:          # the client went away mid-body: nobody to answer
                body = None
            # granian ends a body cut by a closed connection as if it were whole: a body
            # shorter than its Content-Length is a client gone, never a request to run
            if body is None or (length is not None and len(body) != int(length)):
                log.info("%s %s client gone before its body arrived", scope.method, scope.path)
                return
        environ = self._environ(scope, headers, body)
        loop = asyncio.get_running_loop()
        try:
            status, out_headers, first, rest = await loop.run_in_executor(self.pool, self._start, environ)
        except Exception:
            log.exception("unhandled error in the application")
            return self._refuse(scope, proto, 500, "Internal Server Error", "the server failed; the error was logged")
        if isinstance(rest, str):      # a whole file: granian sends it from disk at the client's pace
            proto.response_file(status, out_headers, rest)
            return
        if rest is None:
            proto.response_bytes(status, out_headers, first)
            return
        it, result = rest
        try:
            transport = proto.response_stream(status, out_headers)
            chunk = first
            while chunk:
                await transport.send_bytes(chunk)
                chunk = await loop.run_in_executor(self.pool, _batch, it)
        except Exception as e:          # the client stopped reading or went away
            log.info("%s %s response cut: %s", scope.method, scope.path, type(e).__name__)
        finally:
            await loop.run_in_executor(self.pool, _close, result)

    async def _read(self, proto) -> bytes:
        chunks, size = [], 0
        async for chunk in proto:
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def _start(self, environ):
        """In a pool thread: run the app until its first batch of body (or its end)."""
        started: list = []

        def start_response(status, headers, exc_info=None):
            if exc_info and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [int(status.split(" ", 1)[0]), headers]
            return _no_write

        result = self.app(environ, start_response)
        if type(result) is FileBody and started and (path := result.path()):
            result.close()
            return started[0], [(str(k), str(v)) for k, v in started[1]], b"", path
        try:
            it = iter(result)
            first = _batch(it)
        except BaseException:
            _close(result)
            raise
        status, headers = started
        headers = [(str(k), str(v)) for k, v in headers]
        if len(first) < BATCH:         # the whole body is there
            _close(result)
            return status, headers, first, None
        return status, headers, first, (it, result)

    def _refuse(self, scope, proto, status: int, title: str, detail: str, extra=()) -> None:
        """Answer without the app (and without reading the body): a problem document."""
        body = json.dumps({"detail": detail, "status": status, "title": title, "type": "about:blank"})
        headers = [("content-type", "application/problem+json"), ("connection", "close"), *extra]
        origin = allowed_origin(self.cors_origins, scope.headers.get("origin"))
        if origin:
            headers.append(("access-control-allow-origin", origin))
            if origin != "*":
                headers.append(("vary", "Origin"))
        log.info("%s %s %s (%s)", scope.method, scope.path, status, title)
        proto.response_str(status, headers, body)

    @staticmethod
    def _environ(scope, headers, body: bytes) -> dict:
        server_host, _, server_port = scope.server.rpartition(":")
        client_host, _, client_port = scope.client.rpartition(":")
        environ = {
            "REQUEST_METHOD": scope.method,
            "SCRIPT_NAME": "",
            # RSGI gives the decoded path as text; WSGI wants its UTF-8 bytes as latin-1
            "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
            "QUERY_STRING": scope.query_string,
            "SERVER_NAME": server_host.strip("[]"),
            "SERVER_PORT": server_port,
            "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
            "REMOTE_ADDR": client_host.strip("[]"),
            "REMOTE_PORT": client_port,
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_SOFTWARE": "publik-kg (granian)",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.scheme,
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": FileBody,
        }
        for name, value in headers:
            if "_" in name:            # X_Forwarded_For must not pass for X-Forwarded-For
                continue
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            if key in environ:
                value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
            environ[key] = value
        if body and "CONTENT_LENGTH" not in environ:        # a chunked body, now whole
            environ["CONTENT_LENGTH"] = str(len(body))
        return environ


class FileBody:
    """``wsgi.file_wrapper``: a file response (``send_file``: the ``/dumps/`` files). Sent whole,
    the bridge hands its path to granian, which reads the file only as fast as the client takes
    it (a stream written from Python would be buffered whole by granian for a client that does
    not read); a range of it (werkzeug wraps it then) is streamed in batches."""

    def __init__(self, file, block_size: int = 8192):
        self.file, self.block_size = file, block_size

    def path(self) -> str | None:
        name = getattr(self.file, "name", None)
        return name if isinstance(name, str) and os.path.isfile(name) and self.file.tell() == 0 else None

    def seekable(self) -> bool:
        return self.file.seekable()

    def seek(self, *args) -> int:
        return self.file.seek(*args)

    def tell(self) -> int:
        return self.file.tell()

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        if chunk := self.file.read(self.block_size):
            return chunk
        raise StopIteration

    def close(self) -> None:
        self.file.close()


def _may_write(scope) -> bool:
    """Whether a POST may change the store: an update (direct or in a form) or a report."""
    ctype = (scope.headers.get("content-type") or "").split(";")[0].strip().lower()
    return scope.path.rstrip("/") == "/reports" or ctype in ("application/sparql-update",
                                                             "application/x-www-form-urlencoded")


def _batch(it) -> bytes:
    """Up to about BATCH bytes of the body (b"" at its end)."""
    parts, size = [], 0
    for part in it:
        if part:
            parts.append(part)
            size += len(part)
            if size >= BATCH:
                break
    return b"".join(parts)


def _close(result) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _no_write(data) -> None:
    raise RuntimeError("the write() callable of start_response is not supported")
