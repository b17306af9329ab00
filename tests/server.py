"""Start a real `publik-kg serve` process for tests, and stop it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w")
        full_env = {**os.environ, "PUBLIK_KG_DATA_DIR": str(data_dir), **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "publik_kg.cli", "serve", "--port", str(self.port)],
                                     env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/sparql", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class OxigraphServer:
    """A real `oxigraph serve` (the `oxigraph` package from PyPI) on a free port, its default
    graph the union of the named graphs; stopped by ``stop``."""

    def __init__(self, location: Path):
        import shutil
        exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.gsp_url = self.url + "/query", self.url + "/update", self.url + "/store"
        self.log = open(location.parent / f"oxigraph-{self.port}.log", "w")
        self.proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                                      "--union-default-graph"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"oxigraph exited: {Path(self.log.name).read_text()[-2000:]}")
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("oxigraph serve did not start")

    def clear(self) -> None:
        req = urllib.request.Request(self.update_url, data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(req, timeout=10).read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class FaultyProxy:
    """A real HTTP proxy in front of a SPARQL server that can demand Basic credentials and
    answer 500 to requests whose body matches ``fail_on`` (the next ``failures`` of them) —
    the faults a remote store meets: wrong credentials, a server erroring mid-write."""

    def __init__(self, target: str, credentials: str = ""):
        import base64
        import http.server
        import threading
        import urllib.error
        proxy = self
        self.target, self.fail_on, self.failures, self.seen = target, b"", 0, []
        expected = "Basic " + base64.b64encode(credentials.encode()).decode() if credentials else ""

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.seen.append(body)
                if expected and self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if proxy.failures and proxy.fail_on and proxy.fail_on in body:
                    proxy.failures -= 1
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                req = urllib.request.Request(proxy.target + self.path, data=body or None, method=self.command,
                                             headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as resp:
                        status, rheaders, data = resp.status, resp.headers, resp.read()
                except urllib.error.HTTPError as e:
                    status, rheaders, data = e.code, e.headers, e.read()
                self.send_response(status)
                if rheaders.get("Content-Type"):
                    self.send_header("Content-Type", rheaders["Content-Type"])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
