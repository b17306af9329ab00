"""The ``publik-kg serve`` subcommand: the graph over HTTP with waitress."""
from __future__ import annotations

import logging
import sys


def register(sub, common) -> None:
    s = sub.add_parser("serve", parents=[common], help="serve the graph over HTTP (SPARQL 1.1 Protocol)")
    s.add_argument("--host", help="address to bind (default 127.0.0.1; env PUBLIK_KG_HOST)")
    s.add_argument("--port", type=int, help="port (default 8000; env PUBLIK_KG_PORT)")
    s.set_defaults(func=run)


def run(args) -> int:
    import waitress

    from publik_kg.cli import open_dataset

    from . import create_app
    from .config import Config

    cfg = Config.from_env(host=args.host, port=args.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    with open_dataset(args) as ds:
        app = create_app(cfg, ds.store, ds.iris.base)
        print(f"serving {ds.store.count()} quads at http://{cfg.host}:{cfg.port}/sparql", file=sys.stderr)
        proxy = {"trusted_proxy": cfg.trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-host", "x-forwarded-proto", "x-forwarded-for"}} \
            if cfg.trusted_proxy else {}
        waitress.serve(app, host=cfg.host, port=cfg.port, threads=cfg.threads, ident="publik-kg",
                       max_request_body_size=cfg.max_body_bytes, **proxy)
    return 0
