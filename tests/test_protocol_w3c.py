"""The W3C SPARQL 1.1 Protocol test suite (34 tests) against a real running server,
on a scratch data dir with an update token; and the W3C SPARQL 1.1 Service Description
tests (3), each against a server with and one without an update token."""
from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from publik_kg.cli import main
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
            assert json.loads(data)["boolean"] is boolean.toPython(), data


# -- SPARQL 1.1 Service Description ---------------------------------------------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RULES = Namespace("urn:publik-kg:test:sd-rules#")
SD_MANIFEST = Graph().parse(SUITE / "service-description-manifest.ttl", format="turtle")
SD_TESTS = list(Collection(SD_MANIFEST, SD_MANIFEST.value(next(SD_MANIFEST.subjects(RDF.type, MF.Manifest)), MF.entries)))
VOCABULARY = Graph().parse(SUITE / "sd-vocabulary-rules.ttl", format="turtle")
RDF_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
             "application/n-triples": "nt", "application/trig": "trig", "application/n-quads": "nquads"}
# What an RDF client such as the W3C validator asks for when it dereferences the endpoint.
RDF_ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8, application/ld+json;q=0.7"


@pytest.fixture(scope="module", params=["update-token", "read-only"])
def sd_server(request, tmp_path_factory):
    """A server with one loaded named graph, with or without an update token."""
    d = tmp_path_factory.mktemp("w3c-sd") / "data"
    assert main(["load", "--data-dir", str(d), "--graph", "http://kasei.us/2009/09/sparql/data/data1.rdf",
                 str(SUITE / "data1.nt")]) == 0
    s = Server(d, {"PUBLIK_KG_UPDATE_TOKEN": TOKEN if request.param == "update-token" else ""})
    s.token = TOKEN if request.param == "update-token" else ""
    yield s
    s.stop()


def fetch_description(server, accept: str | None = RDF_ACCEPT) -> tuple[str, Graph]:
    """GET the endpoint URL as the W3C validator does; the parsed RDF and its media type."""
    status, ctype, data = send(server, "GET", "/sparql", None, {"Accept": accept} if accept else {})
    assert status == 200, (status, data[:300])
    mt = ctype.split(";")[0].strip()
    assert mt in RDF_TYPES, f"GET on the endpoint answered {ctype}, not RDF"
    return mt, Graph().parse(data=data, format=RDF_TYPES[mt])


def _closure(rules: Graph, start, link) -> set:
    seen, todo = set(), [start]
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo.extend(rules.objects(x, link))
    return seen


def schema_violations(desc: Graph, rules: Graph = VOCABULARY) -> list[str]:
    """How ``desc`` misuses the Service Description vocabulary, by its rules: every sd: term
    is one the vocabulary defines; rdf:type of an sd: term names a class; the subject of
    each sd: property (and of its super-properties) is typed with the property's domain
    and its object with the range (types stated in the description, or by the vocabulary
    for its own individuals, closed under rdfs:subClassOf); sd:endpoint and sd:name take
    IRIs; inverse-functional properties have one subject per object; and, the check the
    W3C validator makes, every sd:NamedGraph has an sd:name."""
    out = []

    def types(node) -> set:
        if isinstance(node, Literal):
            return set()
        stated = set(desc.objects(node, RDF.type)) | set(rules.objects(node, RDF.type))
        return set().union(*(_closure(rules, c, RDFS.subClassOf) for c in stated)) if stated else set()

    for s, p, o in desc:
        for term in (s, p, o):
            if isinstance(term, URIRef) and term.startswith(str(SD)) and (term, None, None) not in rules:
                out.append(f"{term.n3()} is not a term of the vocabulary")
        if p == RDF.type and o.startswith(str(SD)) and (o, RDF.type, RDFS.Class) not in rules:
            out.append(f"{s.n3()} a {o.n3()}: not a class")
        if not p.startswith(str(SD)) or (p, RDF.type, RDF.Property) not in rules:
            continue
        for q in _closure(rules, p, RDFS.subPropertyOf):
            for domain in rules.objects(q, RDFS.domain):
                if domain not in types(s):
                    out.append(f"{s.n3()} {p.n3()} ...: the subject is not a {domain.n3()} (domain of {q.n3()})")
            for rng in rules.objects(q, RDFS.range):
                if rng not in types(o):
                    out.append(f"... {p.n3()} {o.n3()}: the object is not a {rng.n3()} (range of {q.n3()})")
        if (p, RDF.type, RULES.IRIValued) in rules and not isinstance(o, URIRef):
            out.append(f"{s.n3()} {p.n3()} {o.n3()}: the object must be an IRI")
    for p in rules.subjects(RDF.type, OWL.InverseFunctionalProperty):
        for o in set(desc.objects(None, p)):
            if len(set(desc.subjects(p, o))) > 1:
                out.append(f"{p.n3()} {o.n3()} has several subjects (inverse-functional)")
    for node in {n for n in desc.all_nodes() if SD.NamedGraph in types(n)}:
        if not list(desc.objects(node, SD.name)):
            out.append(f"the sd:NamedGraph {node.n3()} has no sd:name")
    return out


def sd_returns_rdf(server):
    """GET on the endpoint returns RDF: as the validator asks, with no Accept at all, and in
    each RDF media type the server offers."""
    for accept in (RDF_ACCEPT, None, *RDF_TYPES):
        mt, g = fetch_description(server, accept)
        assert len(g) > 0 and (accept in (RDF_ACCEPT, None) or mt == accept), (accept, mt)


def sd_has_endpoint_triple(server):
    """The description holds ``?service sd:endpoint <U>`` for the URL U that was fetched."""
    _, g = fetch_description(server)
    assert list(g.subjects(SD.endpoint, URIRef(server.url + "/sparql"))), sorted(g.objects(None, SD.endpoint))


def sd_conforms_to_schema(server):
    """The description uses the vocabulary as its rules say (see ``schema_violations``)."""
    for accept in RDF_TYPES:
        _, g = fetch_description(server, accept)
        assert schema_violations(g) == [], accept


SD_CHECKS = {"returns-rdf": sd_returns_rdf, "has-endpoint-triple": sd_has_endpoint_triple,
             "conforms-to-schema": sd_conforms_to_schema}


def test_every_service_description_test_has_its_check():
    assert sorted(str(t).rsplit("#", 1)[-1] for t in SD_TESTS) == sorted(SD_CHECKS)


@pytest.mark.parametrize("test", SD_TESTS, ids=[str(t).rsplit("#", 1)[-1] for t in SD_TESTS])
def test_service_description(sd_server, test):
    assert (test, RDF.type, MF.ServiceDescriptionTest) in SD_MANIFEST
    SD_CHECKS[str(test).rsplit("#", 1)[-1]](sd_server)


def test_service_description_tells_the_truth(sd_server):
    """The default dataset has a default graph (an sd:Graph, the union of the named graphs:
    sd:UnionDefaultGraph) and names the graphs a GRAPH query sees; Update is advertised
    exactly when the server accepts one."""
    _, g = fetch_description(sd_server)
    service = g.value(None, SD.endpoint, URIRef(sd_server.url + "/sparql"))
    assert SD.UnionDefaultGraph in set(g.objects(service, SD.feature))
    dataset = g.value(service, SD.defaultDataset)
    default = g.value(dataset, SD.defaultGraph)
    assert default is not None and (default, RDF.type, SD.Graph) in g
    names = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    status, _, data = send(sd_server, "GET", "/sparql?query=SELECT%20DISTINCT%20%3Fg%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%7D%20%7D",
                           None, {"Accept": "application/sparql-results+json"})
    seen = {b["g"]["value"] for b in json.loads(data)["results"]["bindings"]}
    assert status == 200 and names == seen and "http://kasei.us/2009/09/sparql/data/data1.rdf" in names

    languages = set(g.objects(service, SD.supportedLanguage))
    auth = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    status, _, body = send(sd_server, "POST", "/sparql", b"INSERT DATA { GRAPH <urn:x:probe> { <urn:x:s> <urn:x:p> 1 } }", auth)
    accepted = status == 204
    assert accepted == bool(sd_server.token), (status, body[:300])
    assert languages == ({SD.SPARQL11Query, SD.SPARQL11Update} if accepted else {SD.SPARQL11Query})
    if accepted:   # leave the dataset as it was
        assert send(sd_server, "POST", "/sparql", b"DROP GRAPH <urn:x:probe>", auth)[0] == 204


MISUSES = {
    "untyped named graph": lambda g: g.remove((None, RDF.type, SD.NamedGraph)),
    "named graph without a name": lambda g: g.remove((None, SD.name, None)),
    "literal endpoint": lambda g: [g.add((s, SD.endpoint, Literal(str(o)))) or g.remove((s, SD.endpoint, o))
                                   for s, o in list(g.subject_objects(SD.endpoint))],
    "unknown term": lambda g: g.add((next(g.subjects(RDF.type, SD.Dataset)), SD.defaultGraphs, BNode())),
    "language that is a literal": lambda g: g.add((next(g.subjects(RDF.type, SD.Service)), SD.supportedLanguage,
                                                   Literal("SPARQL11Query"))),
    "dataset typed as a graph": lambda g: [g.remove((d, RDF.type, SD.Dataset)) or g.add((d, RDF.type, SD.Graph))
                                           for d in list(g.subjects(RDF.type, SD.Dataset))],
    "endpoint shared by two services": lambda g: [g.add((URIRef("urn:x:other"), RDF.type, SD.Service)),
                                                  g.add((URIRef("urn:x:other"), SD.endpoint, next(g.objects(None, SD.endpoint))))],
}


@pytest.mark.parametrize("misuse", MISUSES)
def test_schema_check_finds_misuse(sd_server, misuse):
    """The conforms-to-schema check can fail: the server's own description, broken one way."""
    _, g = fetch_description(sd_server)
    assert schema_violations(g) == []
    MISUSES[misuse](g)
    assert schema_violations(g), misuse
