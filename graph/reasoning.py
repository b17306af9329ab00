"""OWL-RL closure, kept apart from the asserted facts.

The closure is computed by ``rules`` (the OWL 2 RL rules the ontology needs; owlrl when
the schema uses more) on (ontology + asserted facts); only the triples it
adds are returned, and trivial ones (reflexive owl:sameAs, owl:Thing typing, facts
about the ontology's own terms) are left out, so the inferred graph says something
about the data.
"""
from __future__ import annotations

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from . import rules

# owlrl types the built-in vocabulary (rdf:HTML a rdfs:Datatype, ...): not about the data.
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
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
    """The triples OWL-RL adds to ``asserted`` under ``ontology``: by publik-kg's rule
    engine when the schema stays within its rules, else by owlrl."""
    schema = Graph()
    for t in ontology:
        schema.add(t)
    for p in _SCHEMA_PREDICATES | {RDF.type}:
        for s, o in asserted.subject_objects(p):
            if p != RDF.type or o in _SCHEMA_TYPES:
                schema.add((s, p, o))
    if rules.supported(schema):
        return _keep(rules.closure(schema, asserted), asserted, ontology)
    return infer_owlrl(asserted, ontology)


def infer_owlrl(asserted: Graph, ontology: Graph) -> Graph:
    """The same, always computed by owlrl (the reference implementation)."""
    work = Graph()
    for t in ontology:
        work.add(t)
    for t in asserted:
        work.add(t)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return _keep(work, asserted, ontology)


def _keep(closure, asserted: Graph, ontology: Graph) -> Graph:
    """What the inferred graph keeps of a closure: new triples that say something about the data."""
    schema_terms = _schema_terms(ontology)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) in asserted or (s, p, o) in ontology:
            continue
        if isinstance(s, Literal) or s in schema_terms or str(s).startswith(_BUILT_IN):
            continue
        if p in _SCHEMA_PREDICATES or (p == OWL.sameAs and s == o):
            continue
        if p == RDF.type and o in _TRIVIAL_TYPES:
            continue
        inferred.add((s, p, o))
    return inferred
