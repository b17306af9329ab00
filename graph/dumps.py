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


def prefixes(base: str) -> dict[str, str]:
    return {"id": base + "id/", **{p: str(n) for p, n in sorted(PREFIXES.items())}}


def _by_graph(nq: bytes) -> bytes:
    """Sorted N-Quads lines ordered by graph first, so each graph is one TriG block."""
    return b"".join(sorted((ln + b"\n" for ln in nq.splitlines() if ln.strip()),
                           key=lambda ln: (ln.rsplit(b" ", 2)[-2], ln)))


def turtle_of(g: Graph, base: str) -> bytes:
    """A small graph (catalogue, VoID) in Turtle."""
    return turtle_nt(_sorted_lines(g.serialize(format="nt", encoding="utf-8")), base)


def turtle_nt(nt: bytes, base: str) -> bytes:
    """Sorted N-Triples as Turtle (Oxigraph's serializer: same input, same bytes)."""
    return _sorted_prefixes(ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                                         prefixes=prefixes(base)))


def _sorted_prefixes(text: bytes) -> bytes:
    """The leading @prefix lines in name order (whatever order the serializer kept them in)."""
    lines = text.split(b"\n")
    n = next((i for i, ln in enumerate(lines) if not ln.startswith(b"@prefix")), len(lines))
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def turtle(store: Store, base: str) -> bytes:
    return turtle_nt(ntriples(store), base)


def trig(store: Store, base: str) -> bytes:
    """Every named graph as one TriG block, graphs in IRI order."""
    return _sorted_prefixes(ox.serialize(ox.parse(_by_graph(nquads(store)), format=ox.RdfFormat.N_QUADS),
                                         format=ox.RdfFormat.TRIG, prefixes=prefixes(base)))


def context(base: str) -> dict:
    """The JSON-LD context published with the dumps (prefixes only: every term keeps its IRI)."""
    return {"@context": prefixes(base)}


def jsonld_of(g: Graph, base: str, context_url: str) -> bytes:
    """A small graph (catalogue) as JSON-LD."""
    return jsonld_nt(_sorted_lines(g.serialize(format="nt", encoding="utf-8")), base, context_url)


def jsonld(store: Store, base: str, context_url: str) -> bytes:
    """The union graph as JSON-LD."""
    return jsonld_nt(ntriples(store), base, context_url)


def jsonld_nt(nt: bytes, base: str, context_url: str) -> bytes:
    """N-Triples as JSON-LD compacted with the published context (referred to by URL):
    Oxigraph writes expanded JSON-LD, whose IRIs are then written as prefixed names —
    keys, ``@type`` values, ``@id`` values — which a JSON-LD processor expands back with
    that context (tested: the same graph)."""
    nodes = json.loads(ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD))
    short = _Compactor(prefixes(base))
    graph = [short.node(n) for n in nodes]
    doc = {"@context": context_url, "@graph": sorted(graph, key=lambda n: n["@id"])}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


class _Compactor:
    RDF_TYPE = str(RDF.type)

    def __init__(self, prefix_map: dict[str, str]):
        # longest namespace first, so "id/" never hides a longer one
        self.spaces = sorted(((iri, p) for p, iri in prefix_map.items()), key=lambda x: -len(x[0]))

    def iri(self, iri: str) -> str:
        for ns, p in self.spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    def value(self, v: dict) -> dict:
        if "@id" in v:
            return {"@id": self.iri(v["@id"])}
        if "@type" in v:
            return {"@type": self.iri(v["@type"]), "@value": v["@value"]}
        return v

    def node(self, n: dict) -> dict:
        out = {"@id": self.iri(n["@id"])}
        for key, values in n.items():
            if key == "@id":
                continue
            if key == self.RDF_TYPE or key == "@type":
                types = [v["@id"] if isinstance(v, dict) else v for v in values]
                out["@type"] = sorted(self.iri(t) for t in types)
                continue
            out[self.iri(key)] = sorted((self.value(v) for v in values),
                                        key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return out
