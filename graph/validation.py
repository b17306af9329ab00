"""SHACL validation of the dataset with pyshacl against ontology/shapes.ttl."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph

from .vocab import resource_text


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(data=resource_text("shapes.ttl"), format="turtle")


@dataclass
class Report:
    conforms: bool
    violations: int
    text: str
    graph: Graph


def validate(data: Graph) -> Report:
    """Validate a data graph (asserted + inferred triples) against the bundled shapes."""
    conforms, results, text = shacl_validate(data, shacl_graph=shapes(), inference="none",
                                             allow_warnings=True, advanced=True)
    from rdflib.namespace import SH, RDF
    violations = sum(1 for r in results.subjects(RDF.type, SH.ValidationResult)
                     if (r, SH.resultSeverity, SH.Violation) in results)
    return Report(bool(conforms), violations, text, results)
