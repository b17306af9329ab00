"""OWL-RL closure with owlrl, kept apart from the asserted facts.

The closure is computed on a copy of (ontology + asserted facts); only the triples it
adds are returned, and trivial ones (reflexive owl:sameAs, owl:Thing typing, facts
about the ontology's own terms) are left out, so the inferred graph says something
about the data.
"""
from __future__ import annotations

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
                      RDFS.domain, RDFS.range, OWL.inverseOf, OWL.disjointWith}
_SCHEMA_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property,
                 OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.AnnotationProperty, OWL.Ontology}


def _schema_terms(ontology: Graph) -> set:
    """Classes and properties: what the inferred graph should not restate."""
    terms = {s for t in _SCHEMA_TYPES for s in ontology.subjects(RDF.type, t)}
    terms |= set(ontology.subjects(RDFS.subClassOf)) | set(ontology.subjects(RDFS.subPropertyOf))
    return terms


def infer(asserted: Graph, ontology: Graph) -> Graph:
    """The triples OWL-RL adds to ``asserted`` under ``ontology``."""
    work = Graph()
    for t in ontology:
        work.add(t)
    for t in asserted:
        work.add(t)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    schema_terms = _schema_terms(ontology)
    inferred = Graph()
    for s, p, o in work:
        if (s, p, o) in asserted or (s, p, o) in ontology:
            continue
        if isinstance(s, Literal) or s in schema_terms:
            continue
        if p in _SCHEMA_PREDICATES or (p == OWL.sameAs and s == o):
            continue
        if p == RDF.type and o in _TRIVIAL_TYPES:
            continue
        inferred.add((s, p, o))
    return inferred
