"""Store and ingest: persistence, idempotence, per-report replacement, atomic failure,
plain RDF loading, removal, export."""

import pytest
from rdflib import Graph, URIRef

from publik_kg.dataset import Dataset
from publik_kg.reading import decode_report, read_report
from publik_kg.store import OxigraphStore

from conftest import BASE, HERE, Q, seed_path

SECOND = HERE / "data" / "reports" / "2020-06-18-club-publik-9eme-reunion.txt"


def quads(ds: Dataset) -> set:
    return set(ds.store.ox)


def graph_triples(ds: Dataset, name: str) -> set:
    return set(ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[name]).triples)


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """A data dir on disk holding the seed and a second report."""
    d = tmp_path_factory.mktemp("two")
    store = OxigraphStore(d / "store")
    ds = Dataset(store, BASE)
    ds.ingest([read_report(seed_path()), read_report(SECOND)], on_error=pytest.fail)
    return ds, d


def test_store_persists_on_disk(two):
    ds, d = two
    before = quads(ds)
    ds.store.close()
    reopened = Dataset(OxigraphStore(d / "store"), BASE)
    assert quads(reopened) == before
    two_ds = reopened
    assert Q(two_ds).ask('ASK WHERE { ?m club:ordinal 9 ; club:date "2020-06-18"^^xsd:date }')
    # leave the reopened store for the next tests
    ds.store = reopened.store


def test_reingest_same_report_is_a_no_op(two):
    ds, _ = two
    before = quads(ds)
    out = ds.ingest([read_report(seed_path())], on_error=pytest.fail)
    assert [s.status for s in out] == ["unchanged"]
    assert quads(ds) == before


def test_changed_report_replaces_only_its_graph(two):
    ds, _ = two
    seed_graph = str(ds.iris.report_graphs(read_report(seed_path()).report_id)["facts"])
    seed_before = graph_triples(ds, seed_graph)
    src = read_report(SECOND)
    changed = decode_report(src.label, src.name, src.text.replace("export ODS", "export ODS et CSV").encode())
    out = ds.ingest([changed], on_error=pytest.fail)
    assert [s.status for s in out] == ["replaced"]
    assert graph_triples(ds, seed_graph) == seed_before
    texts = Q(ds).values("SELECT ?t WHERE { ?r a club:Response ; club:text ?t }")
    assert any("ODS et CSV" in t for t in texts) and not any(t.endswith("export ODS pour l'automne") for t in texts)


def test_failed_ingest_leaves_store_untouched(two):
    ds, _ = two
    before = quads(ds)
    errors = []
    bad = decode_report("x.md", "x.md", "Juste une liste de courses.\n\n- pain\n- lait\n".encode())
    out = ds.ingest([bad], on_error=errors.append)
    assert out == [] and len(errors) == 1 and "not a club meeting report" in errors[0].reason
    assert quads(ds) == before


def test_load_plain_rdf_is_reasoned(two, tmp_path):
    ds, _ = two
    f = tmp_path / "extra.ttl"
    f.write_text("@prefix club: <https://w3id.org/publik-kg/ontology#> .\n"
                 "<http://example.org/x> a club:Commune ; <http://www.w3.org/2000/01/rdf-schema#label> \"X\" .\n")
    iri = ds.default_loaded_iri(f)
    assert ds.load_graph(Graph().parse(f), iri) == 2
    assert iri in ds.store.graph_names()
    assert Q(ds).ask("ASK WHERE { <http://example.org/x> a org:Organization }")


def test_remove_report_removes_its_inferences(two):
    ds, _ = two
    q = Q(ds)
    villeurbanne = URIRef(f"{BASE}id/org/commune-69266")
    assert q.ask("ASK WHERE { ?o a org:Organization }", o=villeurbanne)
    assert ds.remove(read_report(SECOND).report_id)
    assert not q.ask("ASK WHERE { ?o ?p ?v }", o=villeurbanne)
    assert q.ask("ASK WHERE { ?m club:ordinal 8 ; a schema:Event }")
    assert not ds.remove("no-such-report")


def test_export_keeps_named_graphs(seed_ds):
    from rdflib import Dataset as RDataset
    data = seed_ds.store.dump("trig")
    d = RDataset()
    d.parse(data=data, format="trig")
    names = {str(g.identifier) for g in d.graphs() if len(g)}
    assert {seed_ds.inferred_iri, seed_ds.ontology_iri} <= names
    assert any("/graph/provenance/" in n for n in names) and any("/graph/report/" in n for n in names)
    g = Graph().parse(data=seed_ds.store.dump("turtle"), format="turtle")
    assert len(g) > 1000


def test_provenance(q):
    rows = q.rows("SELECT DISTINCT ?g ?sha ?lines WHERE { ?g prov:wasDerivedFrom ?r ; prov:generatedAtTime ?t . "
                  "?r a club:Report ; club:sha256 ?sha ; club:endLine ?lines }")
    assert len(rows) == 1
    import hashlib
    assert str(rows[0][1]) == hashlib.sha256(seed_path().read_bytes()).hexdigest()
    assert q.ask("ASK WHERE { ?r a club:FeatureRequest ; club:startLine ?a ; club:endLine ?b ; prov:wasDerivedFrom ?rep }")
    assert q.ask("ASK WHERE { ?c a club:OrganizationCard ; club:startLine ?a ; club:endLine ?b }")


def test_a_new_extractor_reads_unchanged_reports_again(monkeypatch):
    from publik_kg import dataset as dataset_mod
    ds = Dataset(OxigraphStore(), BASE)
    src = read_report(seed_path())
    ds.ingest([src], on_error=pytest.fail)
    assert [s.status for s in ds.ingest([src], on_error=pytest.fail)] == ["unchanged"]
    monkeypatch.setattr(dataset_mod, "extractor_fingerprint", lambda: "another-version")
    assert [s.status for s in ds.ingest([src], on_error=pytest.fail)] == ["replaced"]
    assert [s.status for s in ds.ingest([src], on_error=pytest.fail)] == ["unchanged"]
