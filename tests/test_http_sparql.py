"""The /sparql endpoint of a real running server over the seed graph: a real client
(SPARQLWrapper), content negotiation, limits, refusals."""
from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from publik_kg.cli import main
from server import OxigraphServer, Server

from conftest import seed_path

COUNT_MEETINGS = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def server(request, tmp_path_factory):
    """`publik-kg serve` on its embedded store, and on a real Oxigraph server (the data
    pushed there, the server configured by PUBLIK_KG_STORE_URL)."""
    d = tmp_path_factory.mktemp("http") / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    env = {"PUBLIK_KG_MAX_ROWS": "50", "PUBLIK_KG_UPDATE_TOKEN": ""}
    if request.param == "remote":
        ox = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db")
        request.addfinalizer(ox.stop)
        assert main(["push", "--data-dir", str(d), "--to", ox.query_url, "--update-url", ox.update_url]) == 0
        env.update(PUBLIK_KG_STORE_URL=ox.query_url, PUBLIK_KG_STORE_UPDATE_URL=ox.update_url)
    s = Server(d, env)
    s.store = request.param
    yield s
    s.stop()


def client(server, fmt):
    w = SPARQLWrapper(server.url + "/sparql")
    w.setReturnFormat(fmt)
    return w


def test_sparqlwrapper_json_xml_csv(server):
    w = client(server, JSON)
    w.setQuery(COUNT_MEETINGS)
    assert w.query().convert()["results"]["bindings"][0]["n"]["value"] == "2"
    w = client(server, XML)
    w.setQuery(COUNT_MEETINGS)
    doc = w.query().convert()
    assert doc.getElementsByTagName("literal")[0].firstChild.data == "2"
    w = client(server, CSV)
    w.setQuery(COUNT_MEETINGS)
    assert w.query().convert().decode().splitlines() == ["n", "2"]


def test_sparqlwrapper_construct_into_graph(server):
    w = client(server, TURTLE)
    w.setQuery("CONSTRUCT { ?m a <https://schema.org/Event> } WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }")
    data = w.query().convert()
    g = Graph().parse(data=data, format="turtle")
    assert len(g) == 2


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_conneg_select(server, accept, ctype):
    r = requests.get(server.url + "/sparql", params={"query": COUNT_MEETINGS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
    assert "Accept" in r.headers["Vary"]


def test_conneg_construct_and_format_override(server):
    q = "CONSTRUCT WHERE { ?m a <https://w3id.org/publik-kg/ontology#Meeting> }"
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "application/ld+json"})
    assert r.headers["Content-Type"].startswith("application/ld+json") and isinstance(r.json(), (list, dict))
    r = requests.get(server.url + "/sparql", params={"query": q, "format": "nt"})
    assert r.headers["Content-Type"].startswith("application/n-triples") and r.text.count(" .\n") == 2


def test_not_acceptable(server):
    r = requests.get(server.url + "/sparql", params={"query": COUNT_MEETINGS}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.headers["Content-Type"] == "application/problem+json"


def test_malformed_query_is_400_with_position(server):
    r = requests.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?p }"})
    assert r.status_code == 400
    problem = r.json()
    assert problem["status"] == 400 and "1:" in problem["detail"]


def test_wrong_method_and_media_type(server):
    r = requests.put(server.url + "/sparql", data="x")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    r = requests.post(server.url + "/sparql", data="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = requests.post(server.url + "/sparql", data=b"\xff\xfeA", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]


def test_oversized_body_is_413(server):
    r = requests.post(server.url + "/sparql", data=b"#" * 2_000_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_update_refused_without_configured_token(server):
    r = requests.post(server.url + "/sparql", data="CLEAR ALL", headers={"Content-Type": "application/sparql-update",
                                                                         "Authorization": "Bearer guess"})
    assert r.status_code == 403
    r = requests.get(server.url + "/sparql", params={"query": COUNT_MEETINGS})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_truncation_is_signalled(server):
    r = requests.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    body = r.json()
    assert r.headers["X-Result-Truncated"].startswith("true") and body["truncated"] is True
    assert len(body["results"]["bindings"]) == 50


def test_unknown_default_graph_is_empty(server):
    r = requests.get(server.url + "/sparql", params={"query": COUNT_MEETINGS, "default-graph-uri": "http://nowhere/g"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_service_description_honours_proxy_headers(server):
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle", "X-Forwarded-Host": "kg.example.org",
                                                      "X-Forwarded-Proto": "https"})
    g = Graph().parse(data=r.text, format="turtle")
    endpoints = {str(o) for o in g.objects(None, __import__("rdflib").URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"))}
    assert endpoints == {"https://kg.example.org/sparql"}


def test_no_outbound_connection_from_queries(server):
    """SERVICE is refused on either store; FROM of a foreign IRI names a graph of the
    dataset (an empty one), never fetched; a local listener sees nothing."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    hits = []

    def accept():
        try:
            conn, _ = listener.accept()
            hits.append(conn)
        except OSError:
            pass

    t = threading.Thread(target=accept)
    t.start()
    target = f"http://127.0.0.1:{port}/x"
    for q, status in ((f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", 403),
                      (f"PREFIX : <{target}> SELECT * WHERE {{ SERVICE SILENT : {{ ?s ?p ?o }} }}", 403),
                      (f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}", 200)):
        r = requests.get(server.url + "/sparql", params={"query": q})
        assert r.status_code == status, q
        if status == 200 and server.store == "embedded":   # a remote server may ignore FROM
            assert r.json()["results"]["bindings"] == []
    t.join()
    listener.close()
    assert hits == []


def test_cors_on_reads(server):
    r = requests.get(server.url + "/sparql", params={"query": COUNT_MEETINGS}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_pathological_query_is_cancelled_and_others_served(tmp_path):
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    s = Server(d, {"PUBLIK_KG_QUERY_TIMEOUT": "2", "PUBLIK_KG_WORKERS": "2"})
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        out = {}

        def run_slow():
            out["slow"] = requests.get(s.url + "/sparql", params={"query": slow}, timeout=60)

        t = threading.Thread(target=run_slow)
        t.start()
        fast = requests.get(s.url + "/sparql", params={"query": COUNT_MEETINGS}, timeout=10)
        assert fast.status_code == 200          # served while the slow one runs
        t.join(30)
        r = out["slow"]
        assert r.status_code == 503 and "cancelled" in r.json()["detail"] and r.headers["Retry-After"]
        for _ in range(3):                      # and after: the killed worker was replaced
            assert requests.get(s.url + "/sparql", params={"query": COUNT_MEETINGS}, timeout=10).status_code == 200
    finally:
        s.stop()


def test_updates_need_the_token_and_are_logged(tmp_path):
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    token = "s3cret-token-value"
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": token})
    try:
        upd = 'INSERT DATA { GRAPH <http://example.org/fix> { <http://example.org/a> <http://example.org/b> "c" } }'
        for auth, status in ((None, 401), ("Bearer wrong", 401), ("Basic eA==", 401), (f"Bearer {token}", 204)):
            headers = {"Content-Type": "application/sparql-update", **({"Authorization": auth} if auth else {})}
            assert requests.post(s.url + "/sparql", data=upd, headers=headers).status_code == status, auth
        q = ("PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?t ?who WHERE { GRAPH ?g { ?a a prov:Activity ; "
             "prov:startedAtTime ?t ; prov:wasAssociatedWith ?who ; <https://w3id.org/publik-kg/ontology#text> ?x } }")
        rows = requests.get(s.url + "/sparql", params={"query": q}).json()["results"]["bindings"]
        assert len(rows) == 1 and token not in rows[0]["who"]["value"]
        # the inferred graph catches up with the update, in the background
        typed = ('INSERT DATA { GRAPH <http://example.org/fix> { <http://example.org/x> a '
                 '<https://w3id.org/publik-kg/ontology#Commune> } }')
        assert requests.post(s.url + "/sparql", data=typed, headers={"Content-Type": "application/sparql-update",
                             "Authorization": f"Bearer {token}"}).status_code == 204
        ask = {"query": "ASK WHERE { <http://example.org/x> a <http://www.w3.org/ns/org#Organization> }"}
        deadline = time.time() + 60
        while not requests.get(s.url + "/sparql", params=ask).json()["boolean"]:
            assert time.time() < deadline, "inferences never caught up with the update"
            time.sleep(0.5)
        for upd, status in (("LOAD <http://127.0.0.1:9/x>", 403),
                            ("INSERT { <urn:a> <urn:b> ?o } WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", 403),
                            # USING names a graph of the dataset (never fetched): an unknown one is empty
                            ("INSERT { <urn:a> <urn:b> ?o } USING <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", 204)):
            r = requests.post(s.url + "/sparql", data=upd,
                              headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
            assert r.status_code == status, upd
    finally:
        s.stop()
    assert token not in (d.parent / f"server-{s.port}.log").read_text()


def test_bare_get_from_a_browser_is_the_query_page(server):
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["Content-Type"].startswith("text/html") and 'id="query"' in r.text


def test_cached_responses_follow_writes(tmp_path):
    """A repeated query is answered from the cache, and a write makes it stale."""
    d = tmp_path / "data"
    assert main(["ingest", "-q", "--data-dir", str(d), str(seed_path())]) == 0
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": "t"})
    try:
        q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"}
        first = requests.get(s.url + "/sparql", params=q)
        assert requests.get(s.url + "/sparql", params=q).content == first.content
        assert first.json()["results"]["bindings"][0]["n"]["value"] == "0"
        requests.post(s.url + "/sparql", data="INSERT DATA { GRAPH <http://example.org/g> { <urn:a> <urn:b> 1 } }",
                      headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        after = requests.get(s.url + "/sparql", params=q)
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "1"
        assert after.headers["Content-Type"].startswith("application/sparql-results+json")
    finally:
        s.stop()
