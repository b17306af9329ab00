"""Facts only reasoning yields, and what a client knowing only standard vocabularies sees."""
from pathlib import Path

import pytest
from conftest import seed_path
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from publik_kg import rules
from publik_kg.dataset import Dataset
from publik_kg.reading import read_report
from publik_kg.reasoning import infer, infer_owlrl
from publik_kg.store import OxigraphStore
from publik_kg.vocab import CLUB, ontology_graph

STD = {
    "schema": "https://schema.org/", "org": "http://www.w3.org/ns/org#", "foaf": "http://xmlns.com/foaf/0.1/",
    "cpov": "http://data.europa.eu/m8g/",
}


def test_standard_vocabulary_types(q):
    assert q.ask("ASK WHERE { ?m a club:Meeting , schema:Event }")
    for kind in ("Commune", "Departement", "Metropole", "IndependentAuthority"):
        assert q.ask("ASK WHERE { ?o a ?k , org:Organization , schema:GovernmentOrganization }", k=CLUB[kind])
    assert q.ask("ASK WHERE { ?p a club:Person , foaf:Person , schema:Person }")
    assert q.ask("ASK WHERE { ?t a club:SoftwareTool , schema:SoftwareApplication }")
    assert q.ask("ASK WHERE { ?o a <http://data.europa.eu/m8g/PublicOrganisation> }")


def test_inferred_only_in_inferred_graph(seed_ds, asserted_graph):
    assert not any(p == URIRef("https://schema.org/attendee") for _, p, _ in asserted_graph)
    assert seed_ds.store.query(
        "ASK WHERE { GRAPH ?g { ?m <https://schema.org/attendee> ?o } }",
        {"g": URIRef(seed_ds.inferred_iri)}).boolean


def test_part_of_is_transitive(q):
    # Metz is in Moselle, Moselle in Grand Est: partOf reaches the région.
    assert q.ask('ASK WHERE { ?metz club:inseeCode "57463" ; club:partOf ?r . ?r a club:Region ; club:inseeCode "44" }')
    assert q.ask('ASK WHERE { ?metz club:inseeCode "57463" ; club:partOf ?e . ?e club:siren "200039865" }')
    assert not q.ask('ASK WHERE { ?metz club:inseeCode "57463" ; club:inRegion ?r }')


def test_inverse_properties(q):
    assert q.ask("ASK WHERE { ?t club:usedBy ?o . ?o club:uses ?t }")
    assert q.ask('ASK WHERE { ?e club:siren "200039865" ; club:hasPart ?c . ?c club:inseeCode "57463" }')
    assert q.ask("ASK WHERE { ?r club:response ?x . ?x club:respondsTo ?r }")
    assert q.ask("ASK WHERE { ?o club:attended ?m . ?m a club:Meeting }")


def test_skos_labels_become_rdfs_labels(q):
    assert q.ask('ASK WHERE { <https://w3id.org/publik-kg/tools/tracim> rdfs:label "Tracim"@fr }')


# -- the rule engine computes what owlrl computes -------------------------------------

def _asserted(paths) -> Graph:
    ds = Dataset(OxigraphStore(), "http://127.0.0.1:8000/")
    g = Graph()
    for p in paths:
        for name, triples in ds.prepare(read_report(p))[1].items():
            if "/provenance/" not in name:
                for t in triples:
                    g.add(t)
    return g


REPORTS = [seed_path(), *sorted((Path(__file__).parent / "data" / "reports").iterdir())]


@pytest.mark.parametrize("paths", [[p] for p in REPORTS] + [REPORTS], ids=[p.name for p in REPORTS] + ["all"])
def test_rule_engine_equals_owlrl_on_reports(paths):
    asserted, onto = _asserted(paths), ontology_graph()
    assert rules.supported(onto)
    fast, reference = set(infer(asserted, onto)), set(infer_owlrl(asserted, onto))
    assert len(reference) > 100
    assert fast == reference, (sorted(reference - fast)[:5], sorted(fast - reference)[:5])


def test_rule_engine_equals_owlrl_on_equality_and_property_kinds():
    """Rules the ontology does not exercise yet: sameAs, functional, symmetric, equivalence."""
    ex = Namespace("http://example.org/")
    schema = Graph()
    for t in [(ex.spouse, RDF.type, OWL.SymmetricProperty), (ex.mother, RDF.type, OWL.FunctionalProperty),
              (ex.ssn, RDF.type, OWL.InverseFunctionalProperty), (ex.A, OWL.equivalentClass, ex.B),
              (ex.B, RDFS.subClassOf, ex.C), (ex.knows, OWL.equivalentProperty, ex.meets),
              (ex.ancestor, RDF.type, OWL.TransitiveProperty), (ex.mother, RDFS.subPropertyOf, ex.ancestor),
              (ex.mother, RDFS.range, ex.A)]:
        schema.add(t)
    data = Graph()
    for t in [(ex.x, ex.spouse, ex.y), (ex.x, ex.mother, ex.m1), (ex.x, ex.mother, ex.m2),
              (ex.m1, ex.mother, ex.g), (ex.p, ex.ssn, ex.n), (ex.q, ex.ssn, ex.n), (ex.p, ex.knows, ex.x),
              (ex.g, OWL.sameAs, ex.h), (ex.h, RDF.type, ex.B)]:
        data.add(t)
    fast, reference = set(infer(data, schema)), set(infer_owlrl(data, schema))
    assert (ex.m2, RDF.type, ex.C) in reference and (ex.q, ex.meets, ex.x) in reference
    assert fast == reference, (sorted(reference - fast)[:5], sorted(fast - reference)[:5])


def test_schemas_beyond_the_rules_go_to_owlrl():
    schema = Graph()
    r = BNode()
    schema.add((r, OWL.onProperty, CLUB.uses))
    assert not rules.supported(schema)
