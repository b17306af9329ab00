"""RDF files in, without touching the network: Oxigraph's parsers never fetch a remote
JSON-LD context nor an XML external entity (rdflib's JSON-LD parser would fetch contexts)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .store import from_ox

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
           "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
           "rdfxml": ox.RdfFormat.RDF_XML, "n3": ox.RdfFormat.N3}


def read_graph(path: Path, fmt: str) -> Graph:
    """The triples of an RDF file (graph names of a quad format are dropped). Raises KeyError
    for an unknown format, FileNotFoundError, or SyntaxError/ValueError for bad content
    (including a JSON-LD document that needs a remote context)."""
    g = Graph()
    for q in ox.parse(path=str(path), format=FORMATS[fmt]):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g
