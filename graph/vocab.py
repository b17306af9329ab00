"""Load the bundled ontology and SKOS schemes (rdflib side)."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from .lexicon import Lexicon, Lexicons

CLUB = Namespace("https://w3id.org/publik-kg/ontology#")
TOOL = Namespace("https://w3id.org/publik-kg/tools/")
TOPIC = Namespace("https://w3id.org/publik-kg/topics/")
ONTOLOGY_FILES = ("club.ttl", "tools.ttl", "topics.ttl")
_KINDS = {SKOS.prefLabel: "pref", SKOS.altLabel: "alt", SKOS.hiddenLabel: "hidden"}


def resource_text(name: str) -> str:
    return files("publik_kg.ontology").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology with its SKOS schemes, as one graph (parsed once; do not modify)."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(data=resource_text(name), format="turtle")
    return g


def _lexicon(g: Graph, cls, ns: Namespace) -> Lexicon:
    lex = Lexicon()
    for concept in sorted(g.subjects(RDF.type, cls)):
        cid = str(concept)[len(str(ns)):]
        for prop, kind in _KINDS.items():
            for label in sorted(g.objects(concept, prop)):
                if getattr(label, "language", None) in (None, "fr"):
                    lex.add(cid, str(label), kind)
    return lex


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    g = ontology_graph()
    return Lexicons(tools=_lexicon(g, CLUB.SoftwareTool, TOOL), topics=_lexicon(g, CLUB.Topic, TOPIC))
