"""Facts only reasoning yields, and what a client knowing only standard vocabularies sees."""
from rdflib import URIRef

from publik_kg.vocab import CLUB

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
