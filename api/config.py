"""Server configuration in layers: defaults → environment (PUBLIK_KG_*) → flags."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    base_uri: str = ""                        # public base; default http://HOST:PORT/
    max_query_length: int = 100_000           # characters of SPARQL text
    max_body_bytes: int = 1_000_000           # request body
    max_rows: int = 10_000                    # result rows before truncation
    max_triples: int = 100_000                # CONSTRUCT / DESCRIBE triples before truncation
    max_result_bytes: int = 16_000_000        # bytes of a written result before truncation (at a row / triple)
    query_timeout: float = 10.0               # seconds; a longer query is cancelled (its worker killed)
    workers: int = 2                          # query worker processes (0: evaluate in the server threads)
    worker_memory_mb: int = 320               # data segment cap of each query worker (RLIMIT_DATA; 0: none)
    update_token: str = ""                    # empty: SPARQL Update is refused
    update_token_file: str = ""
    update_agent: str = "operator"            # who the update log says ran an update (never the token)
    cors_origins: str = "*"
    allow_service: list[str] = field(default_factory=list)   # SERVICE / LOAD target IRI prefixes allowed
    network_sandbox: str = "on"               # "off": query workers and the server may open sockets
    threads: int = 4                          # request threads running the app
    header_timeout: float = 10.0              # seconds to send a request's headers (and keep-alive idle)
    body_timeout: float = 15.0                # seconds to send a whole request body (408 past it)
    max_connections: int = 1024               # open connections; more wait in the kernel's backlog
    max_requests: int = 256                   # requests in progress (after their headers); more get 503
    cache_entries: int = 512                  # cached read responses (0: no cache)
    trusted_proxy: str = "127.0.0.1"         # whose X-Forwarded-Host/-Proto are honoured ("" for none)

    @classmethod
    def from_env(cls, env=None, **overrides) -> "Config":
        env = os.environ if env is None else env
        cfg = cls()
        for f in fields(cls):
            raw = env.get(f"PUBLIK_KG_{f.name.upper()}")
            if raw is not None:
                setattr(cfg, f.name, _convert(f, raw))
        for k, v in overrides.items():
            if v is not None:
                setattr(cfg, k, v)
        if cfg.update_token_file and not cfg.update_token:
            with open(cfg.update_token_file, encoding="utf-8") as fh:
                cfg.update_token = fh.read().strip()
        if not cfg.base_uri:
            cfg.base_uri = f"http://{cfg.host}:{cfg.port}/"
        return cfg


def _convert(f, raw: str):
    if f.type in ("int", int):
        return int(raw)
    if f.type in ("float", float):
        return float(raw)
    if str(f.type).startswith("list"):
        return [x.strip() for x in raw.split(",") if x.strip()]
    return raw
