"""Deterministic RDF dumps of the dataset: the same quads give byte-identical files.

N-Triples and N-Quads are Oxigraph's own serializations, sorted line by line. Turtle and
TriG are written by rdflib graph by graph, in sorted graph order, with one prefix block.
JSON-LD is compacted with the published context (``context.jsonld``), its node list and
value arrays sorted (RDF is a set; ``@list`` order is kept).
"""
from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from .store import OxigraphStore, Store
from .vocab import CLUB, TOOL, TOPIC

SCHEMA = Namespace("https://schema.org/")
PREFIXES = {"club": CLUB, "tool": TOOL, "topic": TOPIC, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD,
            "skos": SKOS, "dct": DCTERMS, "foaf": FOAF, "prov": PROV, "schema": SCHEMA, "dcat": DCAT,
            "void": VOID, "spdx": Namespace("http://spdx.org/rdf/terms#"),
            "vcard": Namespace("http://www.w3.org/2006/vcard/ns#"), "adms": Namespace("http://www.w3.org/ns/adms#"),
            "sd": Namespace("http://www.w3.org/ns/sparql-service-description#")}


def gzipped(data: bytes) -> bytes:
    """gzip without a time stamp or file name, so the same bytes compress the same."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines if line.strip())


def union_view(store: Store, graphs: list[str]) -> OxigraphStore:
    """An in-memory store whose default graph is the RDF merge (a set) of ``graphs``: the
    same fact stated by several reports counts once, as tables and statistics need."""
    view = OxigraphStore()
    for g in graphs:
        view.ox.load(store.dump("ntriples", graph=g), format=ox.RdfFormat.N_TRIPLES)
    return view


def nquads(store: Store) -> bytes:
    """Every named graph, one quad a line, sorted."""
    return _sorted_lines(store.dump("nquads"))


def ntriples(store: Store) -> bytes:
    """The union of the named graphs, one triple a line, sorted."""
    return _sorted_lines(store.dump("ntriples"))


def _bind(g: Graph, base: str) -> Graph:
    g.namespace_manager.bind("id", Namespace(base + "id/"), override=True, replace=True)
    for p, ns in PREFIXES.items():
        g.namespace_manager.bind(p, ns, override=True, replace=True)
    return g


def _turtle(g: Graph, base: str) -> tuple[dict[str, str], str]:
    """rdflib's Turtle of ``g`` split into its prefix lines (prefix → line) and its body
    (rdflib sorts subjects and predicates: a graph without blank nodes comes out the same
    every time)."""
    prefixes, body = {}, []
    for ln in _bind(g, base).serialize(format="turtle").splitlines():
        if ln.startswith("@prefix"):
            prefixes[ln.split()[1]] = ln
        else:
            body.append(ln)
    return prefixes, "\n".join(body).strip() + "\n"


def turtle_of(g: Graph, base: str) -> bytes:
    prefixes, body = _turtle(g, base)
    return ("\n".join(prefixes[p] for p in sorted(prefixes)) + "\n\n" + body).encode("utf-8")


def turtle(store: Store, base: str) -> bytes:
    g = Graph()
    g.parse(data=ntriples(store), format="nt")
    return turtle_of(g, base)


def trig(store: Store, base: str) -> bytes:
    """Every named graph as a TriG block, graphs in IRI order, one prefix block."""
    by_graph: dict[str, list[bytes]] = {}
    for line in nquads(store).splitlines():
        graph = line.rsplit(b" ", 2)[-2].decode()        # "<s> <p> <o> <g> ." → <g>
        by_graph.setdefault(graph, []).append(line[:line.rindex(b" <")] + b" .")
    prefixes: dict[str, str] = {}
    blocks = []
    for name in sorted(by_graph):
        g = Graph()
        g.parse(data=b"\n".join(by_graph[name]), format="nt")
        used, body = _turtle(g, base)
        prefixes.update(used)
        blocks.append(f"{name} {{\n{body}\n}}\n")
    return ("\n".join(prefixes[p] for p in sorted(prefixes)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def context(base: str) -> dict:
    """The JSON-LD context published with the dumps (prefixes only: every term keeps its IRI)."""
    return {"@context": {"id": base + "id/", **{p: str(n) for p, n in sorted(PREFIXES.items())}}}


def jsonld_of(g: Graph, base: str, context_url: str) -> bytes:
    """``g`` compacted with the published context, which the document refers to by URL."""
    doc = json.loads(g.serialize(format="json-ld", context=context(base)["@context"], auto_compact=True))
    doc["@context"] = context_url
    return (json.dumps(_sorted_json(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def jsonld(store: Store, base: str, context_url: str) -> bytes:
    """The union graph as JSON-LD."""
    g = Graph()
    g.parse(data=ntriples(store), format="nt")
    return jsonld_of(g, base, context_url)


def _sorted_json(node, in_list: bool = False):
    if isinstance(node, dict):
        return {k: _sorted_json(v, k == "@list") for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(v) for v in node]
        return items if in_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node
