"""The remote SPARQL store against a real Oxigraph server (`oxigraph serve`, from PyPI):
same answers as the embedded store, atomic ingest (one update request, nothing left on the
server but the dataset's graphs), push / pull, publication, and the faults — server down,
erroring mid-write, wrong credentials."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import BASE, make_dataset, seed_path
from rdflib import URIRef
from server import FaultyProxy, OxigraphServer

from publik_kg import namedqueries
from publik_kg.dataset import Dataset
from publik_kg.publish import publish
from publik_kg.reading import read_report
from publik_kg.remote import RemoteConfig, RemoteStore
from publik_kg.store import QuerySyntaxError, StoreError
from publik_kg.transfer import copy_dataset

from test_crossmeeting import REPORTS, VILLEURBANNE

EXAMPLES = {"timeline": {"org": VILLEURBANNE}, "meeting-diff": {"from": "2019-12-04", "to": "2021-12-02"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def embedded():
    return make_dataset(REPORTS)


@pytest.fixture(scope="module")
def remote(server, embedded) -> Dataset:
    server.clear()
    store = RemoteStore(RemoteConfig(server.query_url, server.update_url, server.gsp_url))
    copy_dataset(embedded.store, store, BASE)
    return Dataset(store, BASE)


def rows(ds: Dataset, name: str) -> list:
    nq = namedqueries.get(name)
    params = {p.name: EXAMPLES.get(name, {}).get(p.name) for p in nq.params}
    res = ds.store.query(nq.sparql, nq.bindings({k: v for k, v in params.items() if v}, BASE))
    return sorted(tuple(_cell(t) for t in row) for row in res.rows)


def _cell(term) -> str:
    """A cell, with the values of a GROUP_CONCAT list sorted (SPARQL leaves their order open)."""
    text = str(term)
    for sep in (" | ", ", "):
        if sep in text:
            return sep.join(sorted(text.split(sep)))
    if re.fullmatch(r"\d{4}(-\d\d){0,2}( \d{4}(-\d\d){0,2})+", text):
        return " ".join(sorted(text.split()))
    return text


def test_the_copy_is_exact(embedded, remote):
    assert remote.store.graph_names() == embedded.store.graph_names()
    assert remote.store.count() == embedded.store.count()
    assert remote.store.dump("nquads").count(b"\n") == len(embedded.store.ox)


@pytest.mark.parametrize("name", sorted(namedqueries.catalogue()))
def test_every_named_query_gives_the_same_rows(embedded, remote, name):
    assert rows(remote, name) == rows(embedded, name)


def test_query_forms_and_errors(remote):
    assert remote.store.query("ASK WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }").boolean
    g = remote.store.query("CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o }", {"m": URIRef(BASE + "id/meeting/2019-12-04")})
    assert len(g.triples) > 20
    with pytest.raises(QuerySyntaxError):
        remote.store.query("SELECT * WHERE { ?s ?p }")


def test_the_same_publication_from_either_store(embedded, remote, tmp_path):
    publish(embedded, tmp_path / "a", "https://x.example/")
    publish(remote, tmp_path / "b", "https://x.example/")
    for f in (tmp_path / "a").rglob("*"):
        if f.is_file():
            assert (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes() == f.read_bytes(), f


def test_ingest_and_remove_through_the_remote_store(server, tmp_path):
    """The dataset layer works unchanged on the remote store: ingest, reasoning, removal."""
    server.clear()
    ds = Dataset(RemoteStore(RemoteConfig(server.query_url, server.update_url)), BASE)
    ds.ingest([read_report(p) for p in REPORTS[-2:]], on_error=pytest.fail)
    local = make_dataset(REPORTS[-2:])
    assert rows(ds, "returning-organizations") == rows(local, "returning-organizations")
    assert ds.remove(REPORTS[-1].stem)
    assert not any(REPORTS[-1].stem in g for g in ds.store.graph_names())
    assert all(g.startswith(BASE + "graph/") for g in ds.store.graph_names())      # nothing else


def test_a_server_erroring_at_the_write_leaves_the_live_graphs_untouched(server):
    server.clear()
    proxy = FaultyProxy(server.url)
    try:
        sleeps = []
        store = RemoteStore(RemoteConfig(proxy.url + "/query", proxy.url + "/update", retries=2), sleep=sleeps.append)
        ds = Dataset(store, BASE)
        ds.ingest([read_report(seed_path())], on_error=pytest.fail)
        before = store.dump("nquads")
        proxy.fail_on, proxy.failures = b"INSERT DATA", 10              # every write fails
        with pytest.raises(StoreError, match="after 3 attempt"):
            ds.ingest([read_report(REPORTS[-1])], on_error=pytest.fail)
        assert sleeps == [0.5, 1.0]                                     # bounded retries, backoff
        assert store.dump("nquads") == before                          # old state, whole
        assert all(g.startswith(BASE + "graph/") for g in store.graph_names())
        proxy.failures = 1                                              # a transient failure
        ds.ingest([read_report(REPORTS[-1])], on_error=pytest.fail)
        assert any(REPORTS[-1].stem in g for g in store.graph_names())
    finally:
        proxy.stop()


def test_wrong_credentials_and_a_server_down_are_clear_errors(server):
    proxy = FaultyProxy(server.url, credentials="club:secret")
    try:
        good = RemoteStore(RemoteConfig(proxy.url + "/query", user="club", password="secret"))
        assert good.query("ASK WHERE { }").boolean is True
        bad = RemoteStore(RemoteConfig(proxy.url + "/query", user="club", password="wrong"), sleep=lambda _: None)
        with pytest.raises(StoreError, match="refused the credentials"):
            bad.query("ASK WHERE { }")
    finally:
        proxy.stop()
    down = RemoteStore(RemoteConfig(proxy.url + "/query", retries=1), sleep=lambda _: None)
    with pytest.raises(StoreError, match="failed .* after 2 attempt"):
        down.query("ASK WHERE { }")


def test_push_and_pull_commands(server, tmp_path):
    server.clear()
    env = {**os.environ, "PUBLIK_KG_DATA_DIR": str(tmp_path / "a")}
    cli = [sys.executable, "-m", "publik_kg.cli"]
    subprocess.run(cli + ["ingest", "-q", str(seed_path())], env=env, check=True, capture_output=True)
    push = subprocess.run(cli + ["push", "--to", server.query_url, "--update-url", server.update_url,
                                 "--gsp-url", server.gsp_url], env=env, capture_output=True, text=True)
    assert push.returncode == 0 and "pushed 5 graphs" in push.stderr, push.stderr
    pulled = {**os.environ, "PUBLIK_KG_DATA_DIR": str(tmp_path / "b")}
    pull = subprocess.run(cli + ["pull", "--from", server.query_url], env=pulled, capture_output=True, text=True)
    assert pull.returncode == 0, pull.stderr
    a = subprocess.run(cli + ["export", "--format", "nquads"], env=env, capture_output=True).stdout
    b = subprocess.run(cli + ["export", "--format", "nquads"], env=pulled, capture_output=True).stdout
    assert sorted(a.splitlines()) == sorted(b.splitlines()) and a
    served = subprocess.run(cli + ["query", "meetings", "--format", "csv", "--store-url", server.query_url],
                            env=pulled, capture_output=True, text=True)
    assert served.returncode == 0 and "2019-12-04" in served.stdout
    down = subprocess.run(cli + ["push", "--to", "http://127.0.0.1:9/query", "--update-url", "http://127.0.0.1:9/update"],
                          env=env, capture_output=True, text=True)
    assert down.returncode == 1 and "failed" in down.stderr and "Traceback" not in down.stderr
