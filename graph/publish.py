"""A complete publication of the dataset for open-data portals, written atomically.

    OUT/catalog.ttl, catalog.jsonld      DCAT-AP catalogue (harvested by data.gouv.fr, CKAN)
    OUT/void.ttl                         VoID description
    OUT/context.jsonld                   the JSON-LD context the JSON-LD dump refers to
    OUT/dumps/publik-kg.{nq,trig}        every named graph (provenance kept), + .gz
    OUT/dumps/publik-kg.{ttl,nt,jsonld}  the union graph, + .gz
    OUT/dumps/*.csv, *.csv-metadata.json tables with W3C CSVW metadata
    OUT/SHA256SUMS                       checksums of every file above but itself

Files are written in a temporary directory next to OUT, then swapped in by renames: a
failure (disk full, directory not writable) leaves the previous publication untouched and
no partial one behind. The same store gives byte-identical files.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import dumps, tables
from .catalog import FileInfo, Publisher, catalog_graph, void_graph
from .dataset import Dataset

DUMPS = [  # name, media type, EU file type, title, function
    ("publik-kg.nq", "application/n-quads", "RDF_N_QUADS", "Graphes nommés (N-Quads, avec provenance)"),
    ("publik-kg.trig", "application/trig", "RDF_TRIG", "Graphes nommés (TriG, avec provenance)"),
    ("publik-kg.ttl", "text/turtle", "RDF_TURTLE", "Graphe complet (Turtle)"),
    ("publik-kg.nt", "application/n-triples", "RDF_N_TRIPLES", "Graphe complet (N-Triples)"),
    ("publik-kg.jsonld", "application/ld+json", "JSON_LD", "Graphe complet (JSON-LD)"),
]


class PublishError(Exception):
    """The publication could not be written; the previous one (if any) is untouched."""


@dataclass
class Publication:
    out: Path
    files: dict[str, int]          # relative path → size in bytes


def _write(root: Path, rel: str, data: bytes, written: dict[str, bytes]) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written[rel] = data


def build(ds: Dataset, root: Path, base_url: str, publisher: Publisher = Publisher()) -> dict[str, bytes]:
    """Write the publication's files under ``root`` (an empty directory)."""
    base_url = base_url.rstrip("/") + "/"
    base = ds.iris.base
    store = ds.store
    # tables and statistics: what is asserted, the ontology and what follows (not provenance)
    view = dumps.union_view(store, ds.asserted_graphs() + [ds.ontology_iri, ds.inferred_iri])
    written: dict[str, bytes] = {}
    infos: list[FileInfo] = []

    def dist(rel: str, data: bytes, media: str, eu: str, title: str) -> None:
        _write(root, "dumps/" + rel, data, written)
        infos.append(FileInfo(rel, media, eu, title, len(data), hashlib.sha256(data).hexdigest()))
        gz = dumps.gzipped(data)
        _write(root, "dumps/" + rel + ".gz", gz, written)
        infos.append(FileInfo(rel + ".gz", media, eu, title + " (gzip)", len(gz), hashlib.sha256(gz).hexdigest(), True))

    content = {"publik-kg.nq": lambda: dumps.nquads(store), "publik-kg.trig": lambda: dumps.trig(store, base),
               "publik-kg.ttl": lambda: dumps.turtle(store, base), "publik-kg.nt": lambda: dumps.ntriples(store),
               "publik-kg.jsonld": lambda: dumps.jsonld(store, base, base_url + "context.jsonld")}
    for name, media, eu, title in DUMPS:
        dist(name, content[name](), media, eu, title)
    _write(root, "context.jsonld", _json(dumps.context(base)), written)
    for t in tables.TABLES:
        csv_bytes, meta = tables.write(view, t)
        dist(f"{t.name}.csv", csv_bytes, "text/csv", "CSV", f"Table « {t.title} » (CSV)")
        _write(root, f"dumps/{t.name}.csv-metadata.json", meta, written)
        infos.append(FileInfo(f"{t.name}.csv-metadata.json", "application/csvm+json", "JSON",
                              f"Métadonnées CSVW de la table « {t.title} »", len(meta), hashlib.sha256(meta).hexdigest()))
    cat = catalog_graph(store, view, base, base_url, infos, publisher)
    _write(root, "catalog.ttl", dumps.turtle_of(cat, base), written)
    _write(root, "catalog.jsonld", dumps.jsonld_of(cat, base, base_url + "context.jsonld"), written)
    void = void_graph(store, view, base, base_url, [i.name for i in infos])
    _write(root, "void.ttl", dumps.turtle_of(void, base), written)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {rel}\n" for rel, data in sorted(written.items()))
    _write(root, "SHA256SUMS", sums.encode(), written)
    return written


def publish(ds: Dataset, out: Path, base_url: str, publisher: Publisher = Publisher()) -> Publication:
    """Write the publication to ``out``, replacing a previous one only once complete."""
    out = Path(out).absolute()
    for stale in out.parent.glob(f".{out.name}.*.tmp"):          # left by a killed export
        shutil.rmtree(stale, ignore_errors=True)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as e:
        raise PublishError(f"{out.parent}: cannot write ({e.strerror})") from None
    try:
        written = build(ds, tmp, base_url, publisher)
        os.chmod(tmp, 0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}.tmp")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PublishError(f"{out}: cannot write the publication ({e.strerror or e})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Publication(out, {rel: len(data) for rel, data in written.items()})


def _json(doc) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
