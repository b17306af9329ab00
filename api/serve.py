"""The ``publik-kg serve`` subcommand: the graph over HTTP with granian.

granian (a Rust HTTP server running the WSGI app in Python threads) answers a minimal
Flask app about 3× faster than waitress on this machine (BENCHMARKS.md), which is what
brings small queries near ``oxigraph serve``. The command builds or opens the data dir
first, closes it, then granian's worker process opens it again through ``app_factory``
(one process owns the on-disk store; query worker processes read it read-only).
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
    from granian.constants import Interfaces

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
    Granian("publik_kg.api.serve:app_factory", factory=True, interface=Interfaces.WSGI,
            address=cfg.host, port=cfg.port, workers=1, blocking_threads=cfg.threads,
            backpressure=cfg.threads * 4, log_access=False, log_level="warning"
            ).serve()
    return 0


def app_factory():
    """The application in granian's worker: open the data dir named by ``serve``."""
    from publik_kg.cli import load_dataset

    from . import create_app
    from .config import Config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr, force=True)
    data_dir, base = os.environ[ENV_SERVE].split("\n")
    ds = load_dataset(SimpleNamespace(data_dir=data_dir, base_uri=base), bootstrap=False)
    return create_app(Config.from_env(), ds.store, ds.iris.base)
