"""The ``publik-kg serve`` subcommand: the graph over HTTP with granian.

granian (a Rust HTTP server) answers a minimal Flask app about 3× faster than waitress on
this machine (BENCHMARKS.md), which is what brings small queries near ``oxigraph serve``.
It runs in RSGI mode: ``bridge.WsgiBridge`` reads each request on granian's event loop and
hands only whole, bounded requests to the Flask app in its threads, so a slow or stalled
client costs a connection, not a thread. granian bounds the rest: HTTP/1 only, whose header
timeout also closes a connection that sends nothing (in granian's auto mode, which detects
HTTP/2, such a connection is held forever: measured, docs/RELIABILITY.md), and its
backpressure caps the open connections (``max_connections``). The command builds or opens
the data dir first, closes it, then granian's worker process opens it again through
``app_factory`` (one process owns the on-disk store; query worker processes read
snapshots); a worker process that dies is replaced.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from types import SimpleNamespace

ENV_SERVE = "PUBLIK_KG_SERVE_ARGS"   # data dir and base IRI handed to granian's worker


def register(sub, common) -> None:
    s = sub.add_parser("serve", parents=[common], help="serve the graph over HTTP (SPARQL 1.1 Protocol)")
    s.add_argument("--host", help="address to bind (default 127.0.0.1; env PUBLIK_KG_HOST)")
    s.add_argument("--port", type=int, help="port (default 8000; env PUBLIK_KG_PORT)")
    s.set_defaults(func=run)


def run(args) -> int:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    from publik_kg.cli import open_dataset

    from .config import Config

    from publik_kg import settings as settings_mod

    cfg = Config.from_env(host=args.host, port=args.port)
    with open_dataset(args) as ds:          # builds the default dataset when needed
        quads = ds.store.count()
        data_dir = settings_mod.resolve(args.data_dir, getattr(args, "base_uri", None)).data_dir
        os.environ[ENV_SERVE] = f"{data_dir}\n{ds.iris.base}"
    for key, env in settings_mod.ENV_STORE.items():     # a remote store given by flags
        if getattr(args, f"store_{key}", None):
            os.environ[env] = getattr(args, f"store_{key}")
    os.environ["PUBLIK_KG_HOST"], os.environ["PUBLIK_KG_PORT"] = cfg.host, str(cfg.port)
    # RocksDB's threads do not survive fork: the worker must start fresh, not as a fork of
    # this process, which has had the store open.
    multiprocessing.set_start_method("spawn", force=True)
    print(f"serving {quads} quads at http://{cfg.host}:{cfg.port}/sparql", file=sys.stderr, flush=True)
    _allow_files(cfg.max_connections + 256)
    header_ms = min(60_000, max(1, round(cfg.header_timeout * 1000)))     # granian's range
    Granian("publik_kg.api.serve:app_factory", factory=True, interface=Interfaces.RSGI,
            address=cfg.host, port=cfg.port, workers=1, http=HTTPModes.http1, websockets=False,
            http1_settings=HTTP1Settings(header_read_timeout=header_ms),
            backpressure=cfg.max_connections, respawn_failed_workers=True, respawn_interval=1.0,
            log_access=False, log_level="warning"
            ).serve()
    return 0


def _allow_files(n: int) -> None:
    """Raise the open-file limit towards ``n`` (one descriptor per connection), within the hard limit."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n if hard == resource.RLIM_INFINITY else min(n, hard)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def _sandbox_server(app, cfg, store) -> None:
    """Put this serving process behind the network barrier too (updates run here), before
    it handles its first request: granian still sets its listener up after the factory
    returns. Not with a remote store (reached over the network) nor when an operator allows
    SERVICE / LOAD targets (an allowed LOAD runs here)."""
    import subprocess
    import threading

    from . import sandbox
    log = logging.getLogger("publik_kg.http")
    if cfg.network_sandbox == "off" or cfg.allow_service or getattr(store, "path", None) is None:
        log.warning("network sandbox off in the serving process")
        return
    probe = subprocess.run([sys.executable, "-c", "from publik_kg.api import sandbox; sandbox.enter()"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:          # say so now, not at the first request (granian would respawn forever)
        raise SystemExit("publik-kg serve: cannot install the network sandbox "
                         f"({probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else probe.returncode}); "
                         "set PUBLIK_KG_NETWORK_SANDBOX=off to serve without it")
    armed = threading.Lock()

    @app.before_request
    def _arm():
        if sandbox.layers():
            return
        with armed:
            if not sandbox.layers():
                try:
                    layers = sandbox.enter()
                except sandbox.SandboxError as e:
                    log.critical("cannot install the network sandbox (%s); set PUBLIK_KG_NETWORK_SANDBOX=off "
                                 "to serve without it", e)
                    os._exit(3)
                log.info("network sandbox on: %s", "+".join(k for k, v in layers.items() if v))


def app_factory():
    """The application in granian's worker: open the data dir named by ``serve``."""
    from publik_kg.cli import load_dataset

    from . import create_app
    from .bridge import WsgiBridge
    from .config import Config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr, force=True)
    data_dir, base = os.environ[ENV_SERVE].split("\n")
    ds = load_dataset(SimpleNamespace(data_dir=data_dir, base_uri=base), bootstrap=False)
    cfg = Config.from_env()
    app = create_app(cfg, ds.store, ds.iris.base)
    _sandbox_server(app, cfg, ds.store)
    return WsgiBridge(app, threads=cfg.threads, max_requests=cfg.max_requests,
                      max_body_bytes=cfg.max_body_bytes, body_timeout=cfg.body_timeout,
                      cors_origins=cfg.cors_origins)
