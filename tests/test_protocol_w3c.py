"""The W3C SPARQL 1.1 Protocol test suite (34 tests) against a real running server,
on a scratch data dir with an update token."""
from __future__ import annotations

import http.client
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from server import Server

SUITE = Path(__file__).parent / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-test-token"

MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
MANIFEST_ROOT = next(MANIFEST.subjects(RDF.type, MF.Manifest))
TESTS = list(Collection(MANIFEST, MANIFEST.value(MANIFEST_ROOT, MF.entries)))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("w3c") / "data"
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN})
    yield s
    s.stop()


def send(server, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    path = "/sparql" + path[len("/sparql/"):] if path.startswith("/sparql/") else path
    if path.startswith("/sparql") and not path.startswith("/sparql?") and path != "/sparql":
        path = "/sparql?" + path[len("/sparql"):].lstrip("/?")
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, resp.getheader("Content-Type", ""), data


def load_graph_data(server, test) -> None:
    stmts = ["CLEAR ALL"]
    for gd in MANIFEST.objects(test, UT.graphData):
        name = str(MANIFEST.value(gd, RDFS.label))
        data = (SUITE / Path(str(MANIFEST.value(gd, UT.graph))).name).read_text()
        stmts.append(f"INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")
    status, _, body = send(server, "POST", "/sparql", " ;\n".join(stmts).encode(),
                           {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 204, body


def check_format(expected: str, ctype: str, body: bytes) -> None:
    if expected == "boolean" or expected == "tabular":
        assert any(t in ctype for t in ("sparql-results", "csv", "tab-separated")), ctype
    elif expected == "RDF":
        assert any(t in ctype for t in ("turtle", "n-triples", "rdf+xml", "ld+json", "trig", "n-quads")), ctype
        Graph().parse(data=body, format="turtle" if "turtle" in ctype else "nt")


@pytest.mark.parametrize("test", TESTS, ids=[str(t).rsplit("#", 1)[-1] for t in TESTS])
def test_protocol(server, test):
    load_graph_data(server, test)
    action = MANIFEST.value(test, MF.action)
    for req in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        method = str(MANIFEST.value(req, HT.methodName))
        path = str(MANIFEST.value(req, HT.absolutePath))
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}
        hl = MANIFEST.value(req, HT.headers)
        for h in (Collection(MANIFEST, hl) if hl else []):
            headers[str(MANIFEST.value(h, HT.fieldName))] = str(MANIFEST.value(h, HT.fieldValue))
        body_node = MANIFEST.value(req, HT.body)
        body = None
        if body_node is not None:
            enc = str(MANIFEST.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(MANIFEST.value(body_node, CNT.chars)).encode(enc)
        status, ctype, data = send(server, method, path, body, headers)
        resp = MANIFEST.value(req, HT.resp)
        classes = {str(s).rsplit("StatusCode", 1)[-1] for s in MANIFEST.objects(resp, MF.expectedStatus)}
        assert f"{status // 100}xx" in classes, (path, status, data[:300])
        fmt = MANIFEST.value(resp, MF.expectedFormat)
        if fmt is not None:
            check_format(str(fmt), ctype, data)
        boolean = MANIFEST.value(resp, MF.expectedBoolean)
        if boolean is not None:
            import json
            assert json.loads(data)["boolean"] is boolean.toPython(), data
