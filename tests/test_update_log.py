"""A SPARQL Update, its log entry and the inferred graph's stale mark are one transaction
(on a real on-disk Oxigraph store): a failing update leaves nothing, a succeeding one
leaves exactly one record holding its text, whatever the text ends with."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from publik_kg.dataset import Dataset
from publik_kg.store import OxigraphStore, StoreError

from conftest import BASE

LOGGED = ("PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX club: <https://w3id.org/publik-kg/ontology#> "
          "SELECT ?act ?text ?who ?label WHERE { GRAPH ?log { ?act a prov:Activity ; club:text ?text ; "
          "prov:wasAssociatedWith ?who . ?who <http://www.w3.org/2000/01/rdf-schema#label> ?label } }")


def log(ds: Dataset) -> dict[str, tuple[str, str, str]]:
    """activity IRI → (text, agent IRI, agent label), from the update log graph."""
    rows = ds.store.query(LOGGED, default_graphs=[ds.updates_iri]).rows
    return {str(a): (str(t), str(w), str(lab)) for a, t, w, lab in rows}


def marks(ds: Dataset) -> set[str]:
    res = ds.store.query("SELECT ?act WHERE { ?g <http://www.w3.org/ns/prov#wasInvalidatedBy> ?act }",
                         default_graphs=[ds.stale_iri])
    return {str(r[0]) for r in res.rows}


@pytest.fixture
def ds(tmp_path):
    d = Dataset(OxigraphStore(tmp_path / "store"), BASE)
    d.ensure_ontology()
    yield d
    d.store.close()


def test_oxigraph_applies_an_update_request_whole(ds):
    """What the log relies on (pyoxigraph 0.5.13): when the second operation of a request
    fails, the first one is not applied either."""
    before = ds.store.dump("nquads")
    for second in ("DROP GRAPH <urn:missing>", "CREATE GRAPH <urn:g>"):
        with pytest.raises(Exception):
            ds.store.ox.update(f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:b> <urn:c> }} }} ; {second}")
        assert ds.store.dump("nquads") == before


def test_a_failing_update_leaves_no_record_and_no_mark(ds):
    before = ds.store.dump("nquads")
    with pytest.raises(Exception):
        ds.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } } ; DROP GRAPH <urn:missing>", "operator")
    assert ds.store.dump("nquads") == before and not ds.is_stale()


def test_an_update_is_logged_with_its_mark_and_reasoning_clears_it(ds):
    text = 'INSERT DATA { GRAPH <urn:g> { <urn:x> a <https://w3id.org/publik-kg/ontology#Commune> } }'
    act = ds.update(text, "Équipe données")
    assert log(ds) == {str(act): (text, BASE + "id/agent/equipe-donnees", "Équipe données")}
    assert ds.is_stale() and marks(ds) == {str(act)}
    assert ds.reason_if_stale() and not ds.is_stale() and not ds.reason_if_stale()
    assert ds.store.query("ASK { GRAPH ?g { <urn:x> a <http://www.w3.org/ns/org#Organization> } }",
                          default_graphs=[], named_graphs=[ds.inferred_iri]).boolean
    assert log(ds).keys() == {str(act)}                  # the log stays


ENDINGS = ["", " ;", " ; # note", "\n# note", " # note ;", '"""', "'''", '"', "'", "<", "<urn:", "#", "\\",
           '"""x\\', "'''x\\", "{", "}", "PREFIX p: <urn:p>", " ; PREFIX p: <urn:p>", " ; BASE <http://evil/>",
           ' ; INSERT DATA { <urn:s> <urn:p> """', " ; INSERT DATA { <urn:s> <urn:p> '''",
           " ; DROP SILENT GRAPH <" + BASE + "graph/provenance/updates>"]
STARTS = ["", "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }"]


def check_logged_or_nothing(ds: Dataset, text: str) -> bool:
    """Run ``text``: either it fails and the store is unchanged, or it is logged once with
    exactly its text and a stale mark. True when it was applied."""
    before, logged = ds.store.dump("nquads"), log(ds)
    try:
        act = ds.update(text, "operator")
    except StoreError:
        assert ds.store.dump("nquads") == before, repr(text)
        return False
    new = {a: v for a, v in log(ds).items() if a not in logged}
    assert new == {str(act): (text, BASE + "id/agent/operator", "operator")}, repr(text)
    assert str(act) in marks(ds)
    return True


@pytest.mark.parametrize("start", STARTS)
def test_no_ending_of_the_text_swallows_its_record(ds, start):
    applied = [end for end in ENDINGS if check_logged_or_nothing(ds, start + end)]
    # the well-formed ones went through (a trailing ';', a comment, a prologue alone)
    assert ({"", " ;", " ; # note", "\n# note"} if start else {"", "\n# note", "PREFIX p: <urn:p>"}) <= set(applied)
    assert not {'"""', "'''", '"""x\\', "<urn:"} & set(applied)


PIECES = [*"\"'\\#<>{};. \nxa:", "\\u0022", "'''", '"""', "GRAPH", "}}"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(STARTS), st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_random_endings_are_logged_or_change_nothing(ds, start, tail):
    check_logged_or_nothing(ds, start + " " + tail)
