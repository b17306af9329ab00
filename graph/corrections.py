"""Corrections a maintainer writes in Turtle, applied on top of what extraction finds.

A corrections file holds two kinds of statements:

- plain triples: facts to add ("this ambiguous Saint-Denis is the one in Seine-Saint-Denis");
- retractions: a node of type ``club:Retraction`` with ``rdf:subject``, ``rdf:predicate``,
  ``rdf:object`` (and optionally ``rdfs:comment``) naming one extracted triple to remove.

Additions live in the named graph ``graph/corrections``; retractions in its provenance
graph, and they are applied to every report graph each time reports are ingested, so
re-ingesting a report keeps the corrections. A retraction that matches no extracted
triple, or an addition about a subject nothing else mentions, is reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from .vocab import CLUB


@dataclass
class Corrections:
    additions: list[tuple] = field(default_factory=list)
    retractions: list[tuple] = field(default_factory=list)      # (s, p, o)

    @classmethod
    def from_graph(cls, g: Graph) -> "Corrections":
        out, described = cls(), set()
        for node in g.subjects(RDF.type, CLUB.Retraction):
            s, p, o = (g.value(node, RDF[x]) for x in ("subject", "predicate", "object"))
            if None in (s, p, o):
                raise ValueError(f"retraction {node.n3()} needs rdf:subject, rdf:predicate and rdf:object")
            out.retractions.append((s, p, o))
            described |= {(node, q, v) for q, v in g.predicate_objects(node)}
        out.additions = [t for t in g if t not in described]
        return out

    def retraction_graph(self) -> Graph:
        """The retractions as RDF (reified statements), for the provenance graph."""
        from rdflib import BNode
        g = Graph()
        for s, p, o in self.retractions:
            node = BNode()
            g.add((node, RDF.type, CLUB.Retraction))
            g.add((node, RDF.subject, s))
            g.add((node, RDF.predicate, p))
            g.add((node, RDF.object, o))
        return g

    def apply(self, triples: list) -> list:
        """Report triples without the retracted ones."""
        gone = set(self.retractions)
        return [t for t in triples if t not in gone] if gone else triples


def unmatched(corr: Corrections, extracted: Graph, everything: Graph) -> list[str]:
    """What no longer matches: retractions of triples extraction did not produce, and
    additions about subjects nothing else in the dataset mentions."""
    out = [f"retraction matches nothing: {s.n3()} {p.n3()} {o.n3()}" for s, p, o in corr.retractions
           if (s, p, o) not in extracted]
    mentioned = set(everything.subjects()) | set(everything.objects())
    out += [f"addition about an unknown subject: {s.n3()} {p.n3()} {o.n3()}" for s, p, o in corr.additions
            if s not in mentioned and p != RDFS.comment]
    return out
