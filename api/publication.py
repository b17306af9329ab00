"""The open-data publication over HTTP: /catalog (DCAT-AP), /.well-known/void, /context.jsonld
and /dumps/… — the files `publik-kg export --out` writes, built from the served store on
first request after each write (under the data dir), with ETags (their SHA-256) and gzip."""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask import Blueprint, Response, jsonify, request, send_file

from publik_kg.publish import publish

from . import conneg
from .problems import ApiError
from .sparql import state

bp = Blueprint("publication", __name__)
_lock = threading.Lock()
_built: dict[int, tuple] = {}          # app state → (store generation, dir, {relative path: sha256})
MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
         ".trig": "application/trig", ".jsonld": "application/ld+json", ".csv": "text/csv",
         ".json": "application/csvm+json", ".gz": "application/gzip"}


def _publication() -> tuple[Path, dict[str, str]]:
    """The publication of the store's current generation (built once per generation)."""
    st = state()
    key = st.store.generation() if hasattr(st.store, "generation") else ""
    with _lock:
        hit = _built.get(id(st))
        if hit is not None and hit[0] == key and key:     # an in-memory store has no generation
            return hit[1], hit[2]
        path = getattr(st.store, "path", None)
        root = Path(path).parent if path else Path(hit[1]).parent if hit else Path(tempfile.mkdtemp(prefix="publik-kg-"))
        out = root / "publication"
        publish(st.dataset, out, st.config.base_uri)
        sums = {}
        for line in (out / "SHA256SUMS").read_text().splitlines():
            digest, rel = line.split("  ", 1)
            sums[rel] = digest
        _built[id(st)] = (key, out, sums)
        return out, sums


def _file(rel: str, media: str | None = None) -> Response:
    out, sums = _publication()
    if rel not in sums:
        raise ApiError(404, "Not Found", f"no published file {rel!r}")
    path = out / rel
    encoding = None
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    if accepts_gzip and not rel.endswith(".gz") and f"{rel}.gz" in sums:
        path, encoding = out / f"{rel}.gz", "gzip"
    media = media or MEDIA.get(Path(rel).suffix, "application/octet-stream")
    resp = send_file(path, mimetype=media, etag=sums[path.relative_to(out).as_posix()], conditional=True,
                     max_age=60)
    if encoding:
        resp.headers["Content-Encoding"] = encoding
    resp.headers["Vary"] = "Accept, Accept-Encoding"
    return resp


@bp.get("/catalog")
def catalog():
    """The DCAT-AP catalogue, in Turtle or JSON-LD."""
    offered = {"text/turtle": "catalog.ttl", "application/ld+json": "catalog.jsonld"}
    chosen = conneg.choose(request, offered)
    if chosen is None:
        raise ApiError(406, "Not Acceptable", "the catalogue is served as text/turtle or application/ld+json")
    return _file(offered[chosen], chosen)


# Fixed files of the publication at fixed paths.
FIXED = {"/catalog.ttl": "catalog.ttl", "/catalog.jsonld": "catalog.jsonld", "/.well-known/void": "void.ttl",
         "/context.jsonld": "context.jsonld"}
for _path, _rel in FIXED.items():
    bp.add_url_rule(_path, endpoint=_rel.replace(".", "_"), view_func=lambda rel=_rel: _file(rel), methods=["GET"])


@bp.get("/dumps/")
def dumps_index():
    """The published files with their sizes and SHA-256 checksums."""
    out, sums = _publication()
    return jsonify([{"file": rel[len("dumps/"):], "url": f"{request.url_root}{rel}",
                     "bytes": (out / rel).stat().st_size, "sha256": digest}
                    for rel, digest in sorted(sums.items()) if rel.startswith("dumps/")])


@bp.get("/dumps/<path:name>")
def dump(name: str):
    if "/" in name or name.startswith("."):
        raise ApiError(404, "Not Found", f"no published file {name!r}")
    return _file(f"dumps/{name}")
