"""Each SHACL shape accepts its valid fixture and rejects each invalid one, by its own
rule; the graph built from the seed report conforms."""
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from publik_kg.validation import shapes, validate

FIXTURES = Path(__file__).parent / "shapes"
SHAPE = "https://w3id.org/publik-kg/shapes#"


def rules():
    return sorted(str(s)[len(SHAPE):] for s in shapes().subjects(RDF.type, SH.NodeShape))


def rule_of(report: Graph, result) -> str:
    src = report.value(result, SH.sourceShape)
    sg = shapes()
    for node in sg.subjects(RDF.type, SH.NodeShape):
        if src == node or (node, SH.property, src) in sg:
            return str(node)[len(SHAPE):]
    return "?"


def test_every_rule_has_fixtures():
    for rule in rules():
        assert (FIXTURES / f"{rule}-valid.ttl").exists(), rule
        assert list(FIXTURES.glob(f"{rule}-invalid-*.ttl")), rule


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*-valid.ttl")), ids=lambda p: p.stem)
def test_valid_fixture(path):
    report = validate(Graph().parse(path))
    assert report.conforms, report.text


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*-invalid-*.ttl")), ids=lambda p: p.stem)
def test_invalid_fixture(path):
    rule = path.stem.rsplit("-invalid-", 1)[0]
    report = validate(Graph().parse(path))
    assert not report.conforms
    results = list(report.graph.subjects(RDF.type, SH.ValidationResult))
    assert {rule_of(report.graph, r) for r in results} == {rule}
    assert all(report.graph.value(r, SH.resultMessage) for r in results)


def test_seed_graph_conforms(seed_ds):
    g = Graph()
    names = seed_ds.asserted_graphs() + [seed_ds.inferred_iri, seed_ds.ontology_iri]
    for t in seed_ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=names).triples:
        g.add(t)
    report = validate(g)
    assert report.conforms, report.text[:3000]
