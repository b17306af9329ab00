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


class _Process:
    """A server process on a free port, started by ``_start`` and stopped by ``stop``."""

    log = None
    proc = None

    def _start(self, name: str, cmd: list[str], log_dir: Path, probe: str, env: dict | None = None,
               wait: float = 120) -> None:
        self.log = open(log_dir / f"{name}-{self.port}.log", "w")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + wait
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Server(_Process):
    """`publik-kg serve` on a data dir."""

    def __init__(self, data_dir: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, "PUBLIK_KG_DATA_DIR": str(data_dir), **(env or {})}
        self._start("server", [sys.executable, "-m", "publik_kg.cli", "serve", "--port", str(self.port)],
                    data_dir.parent, self.url + "/sparql", full_env)


class OxigraphServer(_Process):
    """A real `oxigraph serve` (the `oxigraph` package from PyPI) on a free port, its default
    graph the union of the named graphs."""

    def __init__(self, location: Path):
        import shutil
        exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.gsp_url = self.url + "/query", self.url + "/update", self.url + "/store"
        self._start("oxigraph", [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                                 "--union-default-graph"], location.parent, self.query_url + "?query=ASK%7B%7D",
                    wait=30)

    def clear(self) -> None:
        req = urllib.request.Request(self.update_url, data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(req, timeout=10).read()


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
